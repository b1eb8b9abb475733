// Every failure the image service reports carries a code, so the CRI layer can map it to a gRPC
// status (InvalidArgument, NotFound, Unauthenticated, …) without parsing messages.

export type ImageErrorCode =
  /** A reference, digest or argument the caller wrote is malformed. */
  | 'InvalidArgument'
  /** No image, blob or registry object with that name. */
  | 'NotFound'
  /** Content did not hash to the digest it was stored or served under. */
  | 'DigestMismatch'
  /** An archive or layer is truncated, not a tar, or not an image. */
  | 'InvalidArchive'
  /** The registry refused the credentials (or needed some and got none). */
  | 'Unauthorized'
  /** A format or feature this runtime does not implement (schema1, zstd, …). */
  | 'Unsupported'
  /** The registry answered with something other than what the distribution API promises. */
  | 'RegistryError'
  /** A host tool the operation needs (mknod, setfattr, busybox) is missing or failed. */
  | 'HostError';

export class ImageError extends Error {
  override readonly name = 'ImageError';

  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isImageError(err: unknown, code?: ImageErrorCode): err is ImageError {
  return err instanceof ImageError && (code === undefined || err.code === code);
}

// The message of anything thrown, for wrapping it in a clearer one: @skiff/api's, under the
// name the runtime's callers use.
export { errorMessage as messageOf } from '@skiff/api';
