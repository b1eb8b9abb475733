// RuntimeService methods a runtime may leave out, and how it must say so: the kubelet treats
// UNIMPLEMENTED (or, for the metrics, empty lists) as "not offered" and falls back — relisting
// instead of container events, ContainerStats instead of CRI metrics.
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { expect, it } from 'vitest';
import { CALL_TIMEOUT_MS, grpcError, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';

/** The status a server stream ended with. */
function streamEnd(target: CriTarget): Promise<ServiceError | 'ended'> {
  return new Promise((resolve) => {
    const call = target.runtime.GetContainerEvents({}, { deadline: Date.now() + CALL_TIMEOUT_MS });
    call.on('data', () => undefined);
    call.on('error', (err: ServiceError) => resolve(err));
    call.on('end', () => resolve('ended'));
  });
}

export function optionalMethodCases(target: () => CriTarget): void {
  it.each(['ListMetricDescriptors', 'ListPodSandboxMetrics'] as const)(
    'answers %s with an empty list, or UNIMPLEMENTED where the CRI predates it',
    async (method) => {
      const answer = await runtimeCall(target(), method, {}).catch(
        (err: unknown) => err as ServiceError,
      );
      if ('code' in answer) {
        // containerd 1.6's CRI predates these calls (cri-api 1.27).
        expect(target().name).toBe('containerd');
        expect(answer.code).toBe(grpcStatus.UNIMPLEMENTED);
      } else {
        expect(Object.values(answer)).toEqual([[]]);
      }
    },
  );

  it('answers CheckpointContainer with UNIMPLEMENTED', async () => {
    const err = await grpcError(
      runtimeCall(target(), 'CheckpointContainer', {
        container_id: 'no-such-container',
        location: '/tmp/checkpoint.tar',
      }),
    );
    expect(err.code).toBe(grpcStatus.UNIMPLEMENTED);
  });

  it('ends the GetContainerEvents stream with UNIMPLEMENTED', async () => {
    const end = await streamEnd(target());
    expect(end === 'ended' ? end : end.code).toBe(grpcStatus.UNIMPLEMENTED);
  });
}
