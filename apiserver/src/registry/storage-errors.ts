// Storage failures the registry did not handle itself become the Status Kubernetes would send.
// (Conflicts and missing keys are handled where they happen, because only the registry knows
// whether a conflict means "retry" or "tell the client".)
import { isStorageError } from '../storage/index.js';
import { ApiError, apiErrors, type GroupResource } from '@skiff/api';

export function toApiError(err: unknown, gr: GroupResource, name: string): unknown {
  if (!isStorageError(err)) return err;
  switch (err.code) {
    case 'KeyExists':
      return apiErrors.alreadyExists(gr, name);
    case 'NotFound':
      return apiErrors.notFound(gr, name);
    case 'Conflict':
      return apiErrors.staleResourceVersion(gr, name);
    case 'Compacted':
      return apiErrors.expired(`too old resource version: ${err.message}`);
    case 'TooLarge':
      return new ApiError({
        ...apiErrors.requestEntityTooLarge('').status,
        message: `the object is too large to store: ${err.message}`,
      });
    case 'FutureRevision':
      return new ApiError({
        ...apiErrors.tooLargeResourceVersion(0, 0).status,
        message: `Too large resource version: ${err.message}`,
      });
    case 'InvalidKey':
      return apiErrors.badRequest(`invalid object name: ${err.message}`);
    case 'Unavailable':
      return apiErrors.serviceUnavailable(`storage is unavailable: ${err.message}`);
    case 'Internal':
      return err;
  }
}

/** Runs a storage call and rethrows its failure as an ApiError. */
export async function translated<T>(
  gr: GroupResource,
  name: string,
  op: () => Promise<T>,
): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toApiError(err, gr, name);
  }
}
