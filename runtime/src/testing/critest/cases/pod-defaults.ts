// What a runtime fills in when the PodSandboxConfig leaves a field empty.
import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, makePod, runPod, startContainer } from '../pods.js';

export function podDefaultCases(target: () => CriTarget): void {
  it("gives a pod without a hostname the node's hostname, even when its name is long", async () => {
    // Longer than the 64 bytes sethostname(2) takes: the pod name must not stand in.
    const pod = makePod(target(), `no-hostname-${'x'.repeat(60)}`);
    const config = { ...pod.config, hostname: '' };
    const sandboxId = await runPod(target(), { ...pod, config });
    const id = await startContainer(
      target(),
      sandboxId,
      { ...pod, config },
      makeContainer(target(), 'hostname', 'sleep 3600'),
    );
    const { stdout } = await runtimeCall(target(), 'ExecSync', {
      container_id: id,
      cmd: ['hostname'],
      timeout: 10,
    });
    expect(stdout.toString().trim()).toBe(hostname());
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: sandboxId });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: sandboxId });
  });
}
