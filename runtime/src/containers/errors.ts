// Failures the CRI layer must tell apart, each with the gRPC status it maps to: a missing id is
// NotFound, a bad request InvalidArgument, a request that does not fit the current state
// FailedPrecondition, and so on. Anything else is a fault of the runtime or the host (Internal).

export type RuntimeErrorCode =
  | 'NotFound'
  | 'InvalidArgument'
  | 'AlreadyExists'
  | 'FailedPrecondition'
  | 'DeadlineExceeded'
  | 'ResourceExhausted'
  | 'Unimplemented'
  | 'Internal';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';

  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRuntimeError(err: unknown, code?: RuntimeErrorCode): err is RuntimeError {
  return err instanceof RuntimeError && (code === undefined || err.code === code);
}

// The message of anything thrown: @skiff/api's, under the name the runtime's callers use.
export { errorMessage as messageOf } from '@skiff/api';
