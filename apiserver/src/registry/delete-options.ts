// What a DELETE asks for beyond "go away": how long to wait, what to do with dependents, and
// preconditions that must still hold. Kubernetes records the dependents policy as finalizers the
// garbage collector acts on: `foregroundDeletion` (delete dependents first, then the owner) and
// `orphan` (detach dependents, then delete the owner).
import type { DeleteOptions } from '@skiff/api';
import { apiErrors, type GroupResource } from '@skiff/api';
import type { ApiObject } from './api-object.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** The finalizers an object has after a delete with these options. */
export function finalizersAfterDelete(
  finalizers: readonly string[],
  options: Pick<DeleteOptions, 'propagationPolicy' | 'orphanDependents'>,
): string[] {
  const policy =
    options.propagationPolicy ??
    (options.orphanDependents === true
      ? 'Orphan'
      : options.orphanDependents === false
        ? 'Background'
        : undefined);
  if (policy === undefined) return [...finalizers];
  const others = finalizers.filter((f) => f !== FOREGROUND_FINALIZER && f !== ORPHAN_FINALIZER);
  if (policy === 'Foreground') return [...others, FOREGROUND_FINALIZER];
  if (policy === 'Orphan') return [...others, ORPHAN_FINALIZER];
  return others;
}

/** 409 when a precondition on uid or resourceVersion no longer holds, in Kubernetes' words. */
export function checkPreconditions(
  gr: GroupResource,
  obj: ApiObject,
  options: Pick<DeleteOptions, 'preconditions'>,
): void {
  const pre = options.preconditions;
  const name = obj.metadata.name ?? '';
  if (pre?.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw apiErrors.conflict(
      gr,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw apiErrors.conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
    );
  }
}
