// Storage errors carry a code the apiserver maps to a Kubernetes status (see the comment on each).
// Backends translate their own failures into these so callers never see etcd's or fs's errors.
import type { KeyValue } from './interface.js';

export type StorageErrorCode =
  | 'KeyExists' // → 409 AlreadyExists
  | 'NotFound' // → 404 NotFound
  | 'Conflict' // → 409 Conflict
  | 'Compacted' // → 410 Gone (Expired)
  | 'FutureRevision' // → 504 Timeout ("Too large resource version"), as Kubernetes
  | 'TooLarge' // → 413 RequestEntityTooLarge
  | 'InvalidKey' // → 400 BadRequest (a programming error in the caller, really)
  | 'Unavailable' // → 503 ServiceUnavailable (backend unreachable or closed)
  | 'Internal'; // → 500

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = `StorageError(${code})`;
  }
}

export class KeyExistsError extends StorageError {
  constructor(key: string) {
    super('KeyExists', `key already exists: ${key}`, key);
  }
}

export class NotFoundError extends StorageError {
  constructor(key: string) {
    super('NotFound', `key not found: ${key}`, key);
  }
}

export class ConflictError extends StorageError {
  constructor(
    key: string,
    readonly expectedModRevision: number,
    /** The value that is there now, so callers can retry a read-modify-write without a get. */
    readonly current: KeyValue,
  ) {
    super(
      'Conflict',
      `key ${key} was modified at revision ${current.modRevision}, expected ${expectedModRevision}`,
      key,
    );
  }
}

export class CompactedError extends StorageError {
  constructor(
    readonly requestedRevision: number,
    readonly compactedRevision: number,
  ) {
    super(
      'Compacted',
      `revision ${requestedRevision} has been compacted (history kept after revision ${compactedRevision})`,
    );
  }
}

export class FutureRevisionError extends StorageError {
  constructor(requestedRevision: number, currentRevision: number) {
    super(
      'FutureRevision',
      `revision ${requestedRevision} is newer than the current revision ${currentRevision}`,
    );
  }
}

export class TooLargeError extends StorageError {
  constructor(key: string, bytes: number, limit: number) {
    super('TooLarge', `value for ${key} is ${bytes} bytes, over the ${limit}-byte limit`, key);
  }
}

export class UnavailableError extends StorageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Unavailable', message, undefined, options);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
