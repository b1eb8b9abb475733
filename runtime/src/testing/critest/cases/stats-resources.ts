// Stats and cgroup limits: ContainerStats from the container's cgroup, UpdateContainerResources
// seen from inside the container, and a memory hog OOM-killed under its limit.
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { expect, it } from 'vitest';
import { grpcError, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, sharedPod, startIn, waitForState } from '../pods.js';

const MiB = 1024 * 1024;

// cgroup v1 (runc and crun bind the container's own memory cgroup there) or v2.
const READ_MEMORY_LIMIT =
  'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max';

export function statsResourceCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'resources');

  it('reports CPU and memory stats of a running container, alone or in a list', async () => {
    const id = await startIn(
      target(),
      shared,
      makeContainer(target(), 'measured', 'sleep 3600', { memoryLimitBytes: 64 * MiB }),
    );
    const { stats } = await runtimeCall(target(), 'ContainerStats', { container_id: id });
    expect(stats?.attributes?.id).toBe(id);
    expect(stats?.attributes?.metadata?.name).toBe('measured');
    const workingSet = Number(stats?.memory?.working_set_bytes?.value ?? 0);
    expect(workingSet).toBeGreaterThan(0);
    expect(workingSet).toBeLessThan(64 * MiB);
    expect(BigInt(stats?.memory?.timestamp ?? '0')).toBeGreaterThan(0n);
    expect(stats?.cpu?.usage_core_nano_seconds).not.toBeNull();

    const { id: sandboxId } = await shared();
    const listed = await runtimeCall(target(), 'ListContainerStats', {
      filter: { pod_sandbox_id: sandboxId },
    });
    expect(listed.stats.map((s) => s.attributes?.id)).toContain(id);
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 0 });
  });

  it('lists an exited container without usage, and answers a removed one with NOT_FOUND', async () => {
    const id = await startIn(target(), shared, makeContainer(target(), 'finished', 'exit 0'));
    await waitForState(target(), id, 'CONTAINER_EXITED');
    const { stats } = await runtimeCall(target(), 'ListContainerStats', { filter: { id } });
    expect(stats).toHaveLength(1);
    expect(stats[0]?.attributes?.id).toBe(id);
    // Nothing runs to measure: no CPU or memory sample, rather than a dead cgroup's last one.
    expect({ cpu: stats[0]?.cpu, memory: stats[0]?.memory }).toEqual({ cpu: null, memory: null });
    // ContainerStats of the exited container: it exists, so never NOT_FOUND. (containerd 1.6
    // answers UNKNOWN "unexpected metrics response", skiff the same as the list.)
    const single = await runtimeCall(target(), 'ContainerStats', { container_id: id }).catch(
      (err: unknown) => err as ServiceError,
    );
    if ('code' in single) expect(single.code).not.toBe(grpcStatus.NOT_FOUND);
    else expect(single.stats?.memory ?? null).toBeNull();

    await runtimeCall(target(), 'RemoveContainer', { container_id: id });
    const gone = await grpcError(runtimeCall(target(), 'ContainerStats', { container_id: id }));
    expect(gone.code).toBe(grpcStatus.NOT_FOUND);
  });

  it('changes the memory limit a running container sees (UpdateContainerResources)', async () => {
    const id = await startIn(
      target(),
      shared,
      makeContainer(target(), 'resized', 'sleep 3600', { memoryLimitBytes: 64 * MiB }),
    );
    const limit = async (): Promise<string> =>
      (
        await runtimeCall(target(), 'ExecSync', {
          container_id: id,
          cmd: ['sh', '-c', READ_MEMORY_LIMIT],
          timeout: 10,
        })
      ).stdout
        .toString()
        .trim();
    expect(await limit()).toBe(String(64 * MiB));
    await runtimeCall(target(), 'UpdateContainerResources', {
      container_id: id,
      linux: { memory_limit_in_bytes: 48 * MiB, cpu_period: 100_000, cpu_quota: 50_000 },
    });
    expect(await limit()).toBe(String(48 * MiB));
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 0 });
  });

  it('OOM-kills a memory hog over its limit: exit code 137, reason OOMKilled', async () => {
    const id = await startIn(
      target(),
      shared,
      // dd allocates and fills its 64 MiB block buffer: twice the limit.
      makeContainer(target(), 'hog', 'exec dd if=/dev/zero of=/dev/null bs=64M count=1', {
        memoryLimitBytes: 32 * MiB,
      }),
    );
    const status = await waitForState(target(), id, 'CONTAINER_EXITED');
    // The CRI promises the exit code; the reason is each runtime's own word. containerd 1.6 says
    // OOMKilled only when its OOM event (a separate cgroup notification) is handled before the
    // task's exit, which a busy machine can reorder, and then says Error. skiff takes the reason
    // from conmon's OOM marker (persist/oom) as it records the exit, and must say OOMKilled.
    const reasons = target().name === 'containerd' ? ['OOMKilled', 'Error'] : ['OOMKilled'];
    // One assertion, so a failure shows the code, the reason and the message together.
    expect({ code: status.exit_code, reason: status.reason, message: status.message }).toEqual({
      code: 137,
      reason: expect.toBeOneOf(reasons) as unknown,
      message: expect.any(String) as unknown,
    });
  });
}
