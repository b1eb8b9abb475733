// Bad input gets a clear gRPC error: unknown ids are NOT_FOUND, malformed image references are
// refused, calls that do not fit a container's state fail; removals of what is gone succeed.
import { status as grpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { grpcError, imageCall, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { createContainer, makeContainer, sharedPod, startIn, waitForState } from '../pods.js';

const UNKNOWN = 'f'.repeat(64);
const MALFORMED = 'UPPER/Case::not-a-reference';

export function badInputCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'bad-input');

  describe('unknown ids are NOT_FOUND', () => {
    const calls: [string, (t: CriTarget) => Promise<unknown>][] = [
      ['ContainerStatus', (t) => runtimeCall(t, 'ContainerStatus', { container_id: UNKNOWN })],
      ['StartContainer', (t) => runtimeCall(t, 'StartContainer', { container_id: UNKNOWN })],
      ['StopContainer', (t) => runtimeCall(t, 'StopContainer', { container_id: UNKNOWN })],
      ['ExecSync', (t) => runtimeCall(t, 'ExecSync', { container_id: UNKNOWN, cmd: ['true'] })],
      ['ContainerStats', (t) => runtimeCall(t, 'ContainerStats', { container_id: UNKNOWN })],
      [
        'UpdateContainerResources',
        (t) => runtimeCall(t, 'UpdateContainerResources', { container_id: UNKNOWN, linux: {} }),
      ],
      [
        'ReopenContainerLog',
        (t) => runtimeCall(t, 'ReopenContainerLog', { container_id: UNKNOWN }),
      ],
      ['PodSandboxStatus', (t) => runtimeCall(t, 'PodSandboxStatus', { pod_sandbox_id: UNKNOWN })],
      ['StopPodSandbox', (t) => runtimeCall(t, 'StopPodSandbox', { pod_sandbox_id: UNKNOWN })],
      [
        'CreateContainer in an unknown sandbox',
        (t) =>
          runtimeCall(t, 'CreateContainer', {
            pod_sandbox_id: UNKNOWN,
            config: makeContainer(t, 'orphan', 'true'),
          }),
      ],
    ];
    it.each(calls)('%s', async (_name, call) => {
      const err = await grpcError(call(target()));
      expect(err.code).toBe(grpcStatus.NOT_FOUND);
      expect(err.details).toMatch(/not found/);
    });
  });

  it('treats removing an unknown container or sandbox as done (idempotent)', async () => {
    await runtimeCall(target(), 'RemoveContainer', { container_id: UNKNOWN });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: UNKNOWN });
    await imageCall(target(), 'RemoveImage', { image: { image: 'skiff.local/not-here:1' } });
  });

  it('refuses to create a container from an image the runtime does not have', async () => {
    const { pod, id } = await shared();
    const config = {
      ...makeContainer(target(), 'imageless', 'true'),
      image: { image: 'skiff.local/not-here:1' },
    };
    const err = await grpcError(createContainer(target(), id, pod, config));
    expect(err.code).toBe(grpcStatus.NOT_FOUND);
    expect(err.details).toContain('skiff.local/not-here:1');
  });

  it('refuses a malformed image reference in PullImage and CreateContainer', async () => {
    const pull = await grpcError(imageCall(target(), 'PullImage', { image: { image: MALFORMED } }));
    expect(pull.details).toContain(MALFORMED);
    // containerd 1.6 does not classify parse errors (UNKNOWN); skiff says INVALID_ARGUMENT.
    if (target().name === 'skiff') expect(pull.code).toBe(grpcStatus.INVALID_ARGUMENT);
    else expect(pull.code).not.toBe(grpcStatus.OK);

    const { pod, id } = await shared();
    const config = { ...makeContainer(target(), 'malformed', 'true'), image: { image: MALFORMED } };
    const create = await grpcError(createContainer(target(), id, pod, config));
    // containerd looks the string up as a name and finds nothing (NOT_FOUND); skiff parses it
    // first (INVALID_ARGUMENT). Either way the caller learns the reference is unusable.
    expect([grpcStatus.NOT_FOUND, grpcStatus.INVALID_ARGUMENT]).toContain(create.code);
    expect(create.details).toContain(MALFORMED);
  });

  it('refuses ExecSync and ReopenContainerLog on a container that is not running', async () => {
    const id = await startIn(target(), shared, makeContainer(target(), 'finished', 'exit 0'));
    await waitForState(target(), id, 'CONTAINER_EXITED');
    const exec = await grpcError(
      runtimeCall(target(), 'ExecSync', { container_id: id, cmd: ['true'] }),
    );
    const reopen = await grpcError(
      runtimeCall(target(), 'ReopenContainerLog', { container_id: id }),
    );
    // containerd 1.6 answers UNKNOWN here; skiff says FAILED_PRECONDITION, as the CRI intends.
    for (const err of [exec, reopen]) {
      if (target().name === 'skiff') expect(err.code).toBe(grpcStatus.FAILED_PRECONDITION);
      else expect(err.code).not.toBe(grpcStatus.OK);
      expect(err.details).toMatch(/not running|EXITED|exited/);
    }
  });

  it('refuses to start a container twice', async () => {
    const { pod, id: sandboxId } = await shared();
    const id = await createContainer(
      target(),
      sandboxId,
      pod,
      makeContainer(target(), 'twice', 'sleep 3600'),
    );
    await runtimeCall(target(), 'StartContainer', { container_id: id });
    const err = await grpcError(runtimeCall(target(), 'StartContainer', { container_id: id }));
    expect(err.code).not.toBe(grpcStatus.OK);
    if (target().name === 'skiff') expect(err.code).toBe(grpcStatus.FAILED_PRECONDITION);
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 0 });
  });
}
