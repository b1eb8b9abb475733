// PodSandboxStats and ListPodSandboxStats: the pod's cgroup (the parent the kubelet gives, as it
// always does), its network namespace's interface, and its containers' stats.
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodSandboxConfig } from '@skiff/proto';
import { afterAll, expect, it } from 'vitest';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, makePod, runPod, startContainer, type PodFixture } from '../pods.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * Removes a cgroupfs path from every hierarchy (v1 controllers, v2): the runtimes remove the
 * pod's and containers' cgroups, not the parent the kubelet chose.
 */
async function removeCgroup(path: string): Promise<void> {
  const hierarchies = [
    CGROUP_ROOT,
    ...(await readdir(CGROUP_ROOT)).map((d) => join(CGROUP_ROOT, d)),
  ];
  for (const hierarchy of hierarchies) {
    await rmdir(join(hierarchy, path)).catch((err: NodeJS.ErrnoException) => {
      if (!['ENOENT', 'ENOTDIR'].includes(err.code ?? '')) throw err;
    });
  }
}

export function podStatsCases(target: () => CriTarget): void {
  let running: Promise<{ pod: PodFixture; id: string; container: string }> | undefined;
  let cgroupParent: string | undefined;
  const measuredPod = (): Promise<{ pod: PodFixture; id: string; container: string }> =>
    (running ??= (async () => {
      const base = makePod(target(), 'measured-pod', { measured: 'yes' });
      cgroupParent = `/critest-${base.name}`;
      const linux = base.config.linux ?? {};
      const config: PodSandboxConfig = {
        ...base.config,
        linux: { ...linux, cgroup_parent: cgroupParent },
      };
      const pod = { ...base, config };
      const id = await runPod(target(), pod);
      const container = await startContainer(
        target(),
        id,
        pod,
        makeContainer(target(), 'worker', 'sleep 3600'),
      );
      return { pod, id, container };
    })());

  afterAll(async () => {
    if (running === undefined) return;
    const { id } = await running;
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
    if (cgroupParent !== undefined) await removeCgroup(cgroupParent);
  });

  it("reports a pod's CPU, memory, network and containers (PodSandboxStats)", async () => {
    const { pod, id, container } = await measuredPod();
    const { stats } = await runtimeCall(target(), 'PodSandboxStats', { pod_sandbox_id: id });
    expect(stats?.attributes).toMatchObject({
      id,
      metadata: { name: pod.name, namespace: 'critest' },
      labels: { measured: 'yes' },
    });
    const linux = stats?.linux;
    expect(Number(linux?.cpu?.usage_core_nano_seconds?.value ?? 0)).toBeGreaterThan(0);
    expect(Number(linux?.memory?.working_set_bytes?.value ?? 0)).toBeGreaterThan(0);
    expect(linux?.network?.default_interface?.name).toBe('eth0');
    expect(linux?.network?.default_interface?.rx_bytes).not.toBeNull();
    expect(linux?.containers.map((c) => c.attributes?.id)).toContain(container);
  });

  it('lists pod stats filtered by id and by labels (ListPodSandboxStats)', async () => {
    const { id } = await measuredPod();
    const byId = await runtimeCall(target(), 'ListPodSandboxStats', { filter: { id } });
    expect(byId.stats.map((s) => s.attributes?.id)).toEqual([id]);
    const byLabel = await runtimeCall(target(), 'ListPodSandboxStats', {
      filter: { label_selector: { measured: 'yes' } },
    });
    expect(byLabel.stats.map((s) => s.attributes?.id)).toEqual([id]);
  });
}
