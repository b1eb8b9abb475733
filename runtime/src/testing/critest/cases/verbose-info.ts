// Verbose status info, as `crictl inspect` and `crictl inspectp` read it: one "info" key holding
// a JSON document with at least the process id (containerd's shape), and nothing unless asked.
import { expect, it } from 'vitest';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, makeProcessSharingPod, runPod, sharedPod, startIn } from '../pods.js';

function infoDocument(info: Record<string, string>): Record<string, unknown> {
  expect(Object.keys(info)).toEqual(['info']);
  return JSON.parse(info.info ?? '') as Record<string, unknown>;
}

export function verboseInfoCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'verbose');

  it('adds the container pid and sandbox to ContainerStatus when verbose, and nothing otherwise', async () => {
    const id = await startIn(target(), shared, makeContainer(target(), 'inspected', 'sleep 3600'));
    const { id: sandboxId } = await shared();
    const plain = await runtimeCall(target(), 'ContainerStatus', { container_id: id });
    expect(plain.info).toEqual({});
    const verbose = await runtimeCall(target(), 'ContainerStatus', {
      container_id: id,
      verbose: true,
    });
    expect(infoDocument(verbose.info)).toMatchObject({
      sandboxID: sandboxId,
      pid: expect.any(Number) as unknown,
    });
    expect(infoDocument(verbose.info).pid).toBeGreaterThan(0);
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 0 });
  });

  it("adds the sandbox process's pid to PodSandboxStatus when verbose, and nothing otherwise", async () => {
    const id = await runPod(target(), makeProcessSharingPod(target(), 'verbose-pid'));
    const plain = await runtimeCall(target(), 'PodSandboxStatus', { pod_sandbox_id: id });
    expect(plain.info).toEqual({});
    const verbose = await runtimeCall(target(), 'PodSandboxStatus', {
      pod_sandbox_id: id,
      verbose: true,
    });
    const document = infoDocument(verbose.info);
    expect(document.pid).toBeGreaterThan(0);
    expect(document.processStatus).toBe('running');
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
  });
}
