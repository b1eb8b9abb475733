// How the suite speaks CRI: every call through @skiff/proto's typed clients with a deadline, and
// polling for states that real processes reach in their own time.
import {
  unaryCall,
  type ImageServiceClient,
  type RuntimeServiceClient,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
} from '@skiff/proto';
import type { ServiceError } from '@grpc/grpc-js';
import type { CriTarget } from './cri-target.js';

/** Long enough for a slow CI machine to stop a container; short enough to fail a hung runtime. */
export const CALL_TIMEOUT_MS = 60_000;

export function runtimeCall<K extends UnaryMethodName<RuntimeServiceClient>>(
  target: CriTarget,
  method: K,
  request: UnaryRequest<RuntimeServiceClient[K]>,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<UnaryResponse<RuntimeServiceClient[K]>> {
  return unaryCall(target.runtime, method, request, { timeoutMs });
}

export function imageCall<K extends UnaryMethodName<ImageServiceClient>>(
  target: CriTarget,
  method: K,
  request: UnaryRequest<ImageServiceClient[K]>,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<UnaryResponse<ImageServiceClient[K]>> {
  return unaryCall(target.images, method, request, { timeoutMs });
}

/** The gRPC error a call failed with; fails the test if the call succeeded. */
export async function grpcError(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err) return err as ServiceError;
    throw err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * What a runtime's nanosecond timestamp may exceed `nowNs()` taken after it by: Date.now() counts
 * whole milliseconds, the runtime's clock nanoseconds.
 */
export const CLOCK_GRANULARITY_NS = 1_000_000n;

/** Nanoseconds since the epoch, as CRI timestamps are (milliseconds precision). */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
