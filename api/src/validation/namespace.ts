// Namespaces: their names become part of every namespaced object's key and of DNS names, so
// they are RFC 1123 labels.
import type { Namespace } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import {
  nameIsDNSLabel,
  validateFinalizerName,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** spec.finalizers: standard names, or qualified ones (`example.com/cleanup`). */
function validateSpecFinalizers(finalizers: readonly string[] | undefined): FieldError[] {
  const path = FieldPath.root('spec').child('finalizers');
  return (finalizers ?? []).flatMap((f) => {
    const errs = validateFinalizerName(f, path);
    if (!f.includes('/') && !standardFinalizers.has(f)) {
      errs.push(
        fieldErrors.invalid(
          path,
          f,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
    return errs;
  });
}

export function validateNamespace(ns: Namespace): FieldError[] {
  return [
    ...validateObjectMeta(ns.metadata, { namespaced: false, nameFn: nameIsDNSLabel }),
    ...validateSpecFinalizers(ns.spec?.finalizers),
  ];
}

export function validateNamespaceUpdate(next: Namespace, prev: Namespace): FieldError[] {
  return [...validateObjectMetaUpdate(next.metadata, prev.metadata), ...validateNamespace(next)];
}
