// Pod sandboxes: run, status, stop, remove, list with filters; removal takes the containers along.
import { status as grpcStatus } from '@grpc/grpc-js';
import { expect, it } from 'vitest';
import { grpcError, nowNs, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, makePod, runPod, startContainer } from '../pods.js';

export function sandboxCases(target: () => CriTarget): void {
  it('runs a READY sandbox with the pod metadata, labels, annotations and a pod IP', async () => {
    const before = nowNs();
    const pod = makePod(target(), 'ready', { tier: 'web' });
    const id = await runPod(target(), pod);
    const { status } = await runtimeCall(target(), 'PodSandboxStatus', { pod_sandbox_id: id });
    expect(status?.id).toBe(id);
    expect(status?.state).toBe('SANDBOX_READY');
    expect(status?.metadata).toEqual({
      name: pod.name,
      namespace: 'critest',
      uid: `uid-${pod.name}`,
      attempt: 0,
    });
    expect(status?.labels).toMatchObject({ 'critest/pod': 'ready', tier: 'web' });
    expect(status?.annotations).toMatchObject({ 'critest/annotation': pod.name });
    expect(status?.network?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(BigInt(status?.created_at ?? '0')).toBeGreaterThanOrEqual(before - 1_000_000_000n);
  });

  it('stops a sandbox to NOTREADY, keeps it until removed, and repeats stop and remove harmlessly', async () => {
    const id = await runPod(target(), makePod(target(), 'stopped'));
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    const { status } = await runtimeCall(target(), 'PodSandboxStatus', { pod_sandbox_id: id });
    expect(status?.state).toBe('SANDBOX_NOTREADY');
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
    const err = await grpcError(runtimeCall(target(), 'PodSandboxStatus', { pod_sandbox_id: id }));
    expect(err.code).toBe(grpcStatus.NOT_FOUND);
    const { items } = await runtimeCall(target(), 'ListPodSandbox', { filter: { id } });
    expect(items).toEqual([]);
  });

  it('lists sandboxes filtered by id, state and label selector', async () => {
    const ready = await runPod(target(), makePod(target(), 'listed', { 'critest/list': 'a' }));
    const stopped = await runPod(target(), makePod(target(), 'listed', { 'critest/list': 'b' }));
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: stopped });
    const ids = async (filter: object): Promise<string[]> =>
      (await runtimeCall(target(), 'ListPodSandbox', { filter })).items.map((p) => p.id).sort();

    expect(await ids({ id: ready })).toEqual([ready]);
    const readyOnes = await ids({ state: { state: 'SANDBOX_READY' } });
    expect(readyOnes).toContain(ready);
    expect(readyOnes).not.toContain(stopped);
    expect(await ids({ state: { state: 'SANDBOX_NOTREADY' } })).toContain(stopped);
    expect(await ids({ label_selector: { 'critest/list': 'b' } })).toEqual([stopped]);
    expect(await ids({ label_selector: { 'critest/pod': 'listed' } })).toEqual(
      [ready, stopped].sort(),
    );
    const { items } = await runtimeCall(target(), 'ListPodSandbox', { filter: { id: ready } });
    expect(items[0]?.metadata?.name).toMatch(/^listed-/);
    expect(items[0]?.state).toBe('SANDBOX_READY');
  });

  it('removes the containers of a sandbox together with it', async () => {
    const pod = makePod(target(), 'owner');
    const id = await runPod(target(), pod);
    const container = await startContainer(
      target(),
      id,
      pod,
      makeContainer(target(), 'owned', 'sleep 3600'),
    );
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
    const err = await grpcError(
      runtimeCall(target(), 'ContainerStatus', { container_id: container }),
    );
    expect(err.code).toBe(grpcStatus.NOT_FOUND);
    const { containers } = await runtimeCall(target(), 'ListContainers', {
      filter: { pod_sandbox_id: id },
    });
    expect(containers).toEqual([]);
  });
}
