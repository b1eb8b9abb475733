import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeErrorCode } from '../containers/index.js';
import { ImageError, type ImageErrorCode } from '../images/index.js';
import { grpcCodeOf, toServiceError } from './grpc-status.js';

describe('grpcCodeOf', () => {
  it.each<[RuntimeErrorCode, status]>([
    ['NotFound', status.NOT_FOUND],
    ['InvalidArgument', status.INVALID_ARGUMENT],
    ['AlreadyExists', status.ALREADY_EXISTS],
    ['FailedPrecondition', status.FAILED_PRECONDITION],
    ['DeadlineExceeded', status.DEADLINE_EXCEEDED],
    ['ResourceExhausted', status.RESOURCE_EXHAUSTED],
    ['Unimplemented', status.UNIMPLEMENTED],
    ['Internal', status.INTERNAL],
  ])('maps the runtime error %s to gRPC %s', (code, want) => {
    expect(grpcCodeOf(new RuntimeError(code, 'x'))).toBe(want);
  });

  it.each<[ImageErrorCode, status]>([
    ['InvalidArgument', status.INVALID_ARGUMENT],
    ['NotFound', status.NOT_FOUND],
    ['DigestMismatch', status.DATA_LOSS],
    ['InvalidArchive', status.INVALID_ARGUMENT],
    ['Unauthorized', status.UNAUTHENTICATED],
    ['Unsupported', status.UNIMPLEMENTED],
    ['RegistryError', status.UNAVAILABLE],
    ['HostError', status.INTERNAL],
  ])('maps the image error %s to gRPC %s', (code, want) => {
    expect(grpcCodeOf(new ImageError(code, 'x'))).toBe(want);
  });

  it('treats anything without a code as INTERNAL and says so in the message', () => {
    const err = toServiceError(new Error('disk on fire'));
    expect(err.code).toBe(status.INTERNAL);
    expect(err.details).toBe('internal error: disk on fire');
  });

  it('keeps a coded error message as it is', () => {
    expect(toServiceError(new RuntimeError('NotFound', 'container "x" not found')).details).toBe(
      'container "x" not found',
    );
  });
});
