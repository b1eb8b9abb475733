// namespaces/finalize: the only way to change a namespace's spec.finalizers. The namespace
// controller (the controller-manager's) removes `kubernetes` here once the
// namespace is empty; a Terminating namespace with no finalizers left is then deleted.
import type { Namespace } from '@skiff/api';
import { asApiObject, asKind } from '../../registry/api-object.js';
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams } from '../query-options.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export async function handleFinalize(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const body = asKind<Namespace>(
    objectFromBody(scope.info.kind, await readObjectBody(scope), { namespace: undefined, name }),
  );
  const finalizers = body.spec?.finalizers ?? [];
  const { obj } = await scope.registry.update(undefined, name, {
    desired: (current) => {
      const ns = asKind<Namespace>(current);
      // An empty list, not an absent one: defaulting fills an absent list with `kubernetes`.
      return asApiObject({ ...ns, spec: { ...ns.spec, finalizers } });
    },
    resourceVersion: body.metadata.resourceVersion || undefined,
    subresource: 'finalize',
    dryRun,
  });
  sendResult(scope, 200, obj);
}
