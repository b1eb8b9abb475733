// cgroup limits on real containers: a memory hog is OOM-killed under its limit (reason OOMKilled,
// exit 137), a CPU quota throttles, limits can be changed on a running container, and stats come
// from the container's cgroup.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  podConfig,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

const MiB = 1024 * 1024;

describe.skipIf(skipLinuxTests())('linux container resources', () => {
  let rt: LinuxTestRuntime;
  let sandboxId: string;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
    sandboxId = await rt.backend.runPodSandbox(
      podConfig('limits', { log_directory: `${rt.root}/logs` }),
    );
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  /** The container's cgroup directory for `controller` (v1) or in the unified tree (v2). */
  function cgroupDir(containerId: string, controller: string): string {
    const dir = rt.backend.containers.cgroupDir(containerId, controller);
    if (dir === undefined) throw new Error(`no ${controller} cgroup hierarchy on this host`);
    return dir;
  }

  it('OOM-kills a memory hog over its 32 MiB limit and reports OOMKilled with exit 137', async () => {
    const id = await rt.backend.createContainer(
      sandboxId,
      // dd's 64 MiB block buffer is allocated and filled: twice the limit.
      shellContainer('hog', 'exec dd if=/dev/zero of=/dev/null bs=64M count=1', {
        linux: { resources: { memory_limit_in_bytes: 32 * MiB } },
      }),
    );
    await rt.backend.startContainer(id);
    const status = await eventually('the hog to be killed', async () => {
      const s = await rt.backend.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    expect(status.exit_code).toBe(137);
    expect(status.reason).toBe('OOMKilled');
    expect(status.resources?.linux?.memory_limit_in_bytes).toBe(String(32 * MiB));
  });

  it('lets a container use its memory below the limit without being killed', async () => {
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('modest', 'exec dd if=/dev/zero of=/dev/null bs=8M count=1', {
        linux: { resources: { memory_limit_in_bytes: 32 * MiB } },
      }),
    );
    await rt.backend.startContainer(id);
    const status = await eventually('exit', async () => {
      const s = await rt.backend.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    expect(status.reason).toBe('Completed');
  });

  it('throttles a busy loop under a CPU quota (nr_throttled grows)', async () => {
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('spinner', 'while :; do :; done', {
        linux: { resources: { cpu_quota: 10_000, cpu_period: 100_000, cpu_shares: 256 } },
      }),
    );
    await rt.backend.startContainer(id);
    const cpuDir = cgroupDir(id, 'cpu');
    const throttled = async (): Promise<number> => {
      const stat = await readFile(join(cpuDir, 'cpu.stat'), 'utf8');
      return Number(/nr_throttled (\d+)/.exec(stat)?.[1] ?? 'NaN');
    };
    const first = await throttled();
    const later = await eventually('throttling', async () => {
      const n = await throttled();
      return n >= first + 3 ? n : undefined;
    });
    expect(later).toBeGreaterThan(first);
    const stats = await rt.backend.containerStats(id);
    expect(Number(stats.cpu?.usage_core_nano_seconds?.value)).toBeGreaterThan(0);
    await rt.backend.stopContainer(id, 0);
  });

  it('updates the limits of a running container', async () => {
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('resized', 'sleep 60', {
        linux: { resources: { memory_limit_in_bytes: 64 * MiB } },
      }),
    );
    await rt.backend.startContainer(id);
    await rt.backend.updateContainerResources(id, {
      memory_limit_in_bytes: 48 * MiB,
      cpu_quota: 50_000,
      cpu_period: 100_000,
    });
    const memoryDir = cgroupDir(id, 'memory');
    const file =
      rt.backend.containers.cgroupVersion === 'v2' ? 'memory.max' : 'memory.limit_in_bytes';
    expect(Number((await readFile(join(memoryDir, file), 'utf8')).trim())).toBe(48 * MiB);
    const status = await rt.backend.containerStatus(id);
    expect(status.resources?.linux?.memory_limit_in_bytes).toBe(String(48 * MiB));
    expect(status.resources?.linux?.cpu_quota).toBe('50000');
    await rt.backend.stopContainer(id, 0);
  });

  it('reports memory stats from the cgroup, with the working set under the limit', async () => {
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('measured', 'sleep 60', {
        linux: { resources: { memory_limit_in_bytes: 64 * MiB } },
      }),
    );
    await rt.backend.startContainer(id);
    const stats = await rt.backend.containerStats(id);
    expect(stats.attributes?.id).toBe(id);
    const workingSet = Number(stats.memory?.working_set_bytes?.value);
    expect(workingSet).toBeGreaterThan(0);
    expect(workingSet).toBeLessThan(64 * MiB);
    expect(Number(stats.memory?.available_bytes?.value)).toBe(64 * MiB - workingSet);
    const listed = await rt.backend.listContainerStats({ pod_sandbox_id: sandboxId });
    expect(listed.map((s) => s.attributes?.id)).toContain(id);
    await rt.backend.stopContainer(id, 0);
  });
});
