// How a failure inside the runtime becomes a gRPC status. The backend and the image store throw
// errors that carry a code (RuntimeError, ImageError); this table is the only place that decides
// which gRPC code each one is, so the kubelet can branch on codes instead of parsing messages.
// Anything without a code is a fault of the runtime itself: INTERNAL, with its message kept.
import { errorMessage } from '@skiff/api';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isImageError, type ImageErrorCode } from '../images/index.js';
import { isRuntimeError, type RuntimeErrorCode } from '../containers/index.js';

const runtimeCodes: Readonly<Record<RuntimeErrorCode, status>> = {
  NotFound: status.NOT_FOUND,
  InvalidArgument: status.INVALID_ARGUMENT,
  AlreadyExists: status.ALREADY_EXISTS,
  FailedPrecondition: status.FAILED_PRECONDITION,
  DeadlineExceeded: status.DEADLINE_EXCEEDED,
  ResourceExhausted: status.RESOURCE_EXHAUSTED,
  Unimplemented: status.UNIMPLEMENTED,
  Internal: status.INTERNAL,
};

const imageCodes: Readonly<Record<ImageErrorCode, status>> = {
  InvalidArgument: status.INVALID_ARGUMENT,
  NotFound: status.NOT_FOUND,
  // The bytes are not what their digest promised: corrupt content, not a bad request.
  DigestMismatch: status.DATA_LOSS,
  // The caller handed us a file that is not an image: their input is wrong.
  InvalidArchive: status.INVALID_ARGUMENT,
  Unauthorized: status.UNAUTHENTICATED,
  Unsupported: status.UNIMPLEMENTED,
  // The registry misbehaved or could not be reached; retrying later may work.
  RegistryError: status.UNAVAILABLE,
  HostError: status.INTERNAL,
};

/** The gRPC status code for anything a handler threw. */
export function grpcCodeOf(err: unknown): status {
  if (isRuntimeError(err)) return runtimeCodes[err.code];
  if (isImageError(err)) return imageCodes[err.code];
  return status.INTERNAL;
}

/** A status error for grpc-js's callback: the code from the table, the error's own message. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const code = grpcCodeOf(err);
  const message = errorMessage(err);
  return {
    code,
    details: code === status.INTERNAL ? `internal error: ${message}` : message,
    metadata: new Metadata(),
  };
}

/** A status error for a method this runtime deliberately does not serve. */
export function unimplemented(details: string): Partial<ServiceError> {
  return { code: status.UNIMPLEMENTED, details, metadata: new Metadata() };
}
