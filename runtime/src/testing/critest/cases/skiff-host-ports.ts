// hostPort across a restart of skiff runtime: the forwards live in the kernel, not in the runtime
// process, so a runtime killed with -9 and started again keeps those of its live pods (and
// removes only those of sandboxes that are gone), and still removes them when the pod stops.
import { expect, it } from 'vitest';
import { eventually } from '@skiff/api/testing';
import { runtimeCall } from '../cri-calls.js';
import type { SkiffTarget } from '../skiff-target.js';
import { httpGet, page, startWebPod } from './host-ports.js';

export function skiffHostPortCases(target: () => SkiffTarget): void {
  it("keeps a live pod's host port across kill -9 and restart, and removes it at stop", async () => {
    const { hostPort, sandboxId } = await startWebPod(target());
    await eventually('the page before the restart', () => httpGet('127.0.0.1', hostPort));

    await target().kill9();
    await target().restart();
    expect((await httpGet('127.0.0.1', hostPort)).trim()).toBe(page);

    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: sandboxId });
    await expect(httpGet('127.0.0.1', hostPort)).rejects.toThrow(/ECONNREFUSED/);
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: sandboxId });
  });
}
