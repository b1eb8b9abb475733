// Namespaces: deleting one marks it Terminating; it stays while spec.finalizers (the
// `kubernetes` finalizer, removed through /finalize once the namespace is empty) or
// metadata.finalizers remain. Only /finalize may change spec.finalizers and only /status the
// status, so a plain update cannot skip the emptying.
import type { Namespace } from '@skiff/api';
import { asKind } from '../api-object.js';
import { defaultStrategy, type Strategy } from '../strategy.js';

export function namespaceStrategy(): Strategy {
  const base = defaultStrategy(true);
  return {
    ...base,
    returnDeletedObject: true,
    prepareForCreate(obj) {
      const ns = asKind<Namespace>(obj);
      ns.status = { phase: 'Active' };
    },
    prepareForUpdate(next, prev) {
      base.prepareForUpdate(next, prev);
      const ns = asKind<Namespace>(next);
      const old = asKind<Namespace>(prev);
      ns.spec = { ...ns.spec, finalizers: old.spec?.finalizers ?? [] };
      if ((old.spec?.finalizers ?? []).length === 0) delete ns.spec.finalizers;
    },
    onDeletionStarted(obj) {
      const ns = asKind<Namespace>(obj);
      ns.status = { ...ns.status, phase: 'Terminating' };
    },
    hasPendingFinalizers: (obj) => (asKind<Namespace>(obj).spec?.finalizers ?? []).length > 0,
  };
}
