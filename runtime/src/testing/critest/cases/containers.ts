// Containers: the CREATED → RUNNING → EXITED life with exit codes and timestamps, stop with its
// grace period, remove, and list with filters.
import { readFile } from 'node:fs/promises';
import { status as grpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { eventually } from '@skiff/api/testing';
import { grpcError, nowNs, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import {
  containerStatus,
  createContainer,
  makeContainer,
  sharedPod,
  startIn,
  waitForState,
} from '../pods.js';

/** Waits until the container's log has a line with `text`. */
async function logContains(target: CriTarget, id: string, text: string): Promise<void> {
  const { log_path: path } = await containerStatus(target, id);
  await eventually(`"${text}" in ${path}`, async () => {
    const log = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return log.includes(text) ? true : undefined;
  });
}

export function containerCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'containers');

  it('takes a container from CREATED to RUNNING to EXITED with timestamps', async () => {
    const { pod, id: sandboxId } = await shared();
    const before = nowNs() - 1_000_000_000n;
    const id = await createContainer(
      target(),
      sandboxId,
      pod,
      makeContainer(target(), 'lifecycle', 'sleep 1; exit 0'),
    );
    const created = await containerStatus(target(), id);
    expect(created.state).toBe('CONTAINER_CREATED');
    expect(created.metadata).toEqual({ name: 'lifecycle', attempt: 0 });
    expect(BigInt(created.created_at)).toBeGreaterThan(before);
    expect(created.image_ref).not.toBe('');

    await runtimeCall(target(), 'StartContainer', { container_id: id });
    const running = await containerStatus(target(), id);
    expect(running.state).toBe('CONTAINER_RUNNING');
    expect(BigInt(running.started_at)).toBeGreaterThanOrEqual(BigInt(running.created_at));

    const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
    expect(BigInt(exited.finished_at)).toBeGreaterThan(BigInt(exited.started_at));
  });

  describe('exit codes', () => {
    it.each([
      { script: 'exit 0', code: 0, reason: 'Completed' },
      { script: 'exit 3', code: 3, reason: 'Error' },
      { script: 'false', code: 1, reason: 'Error' },
    ])('reports `$script` as exit code $code, reason $reason', async ({ script, code, reason }) => {
      const id = await startIn(target(), shared, makeContainer(target(), `exit-${code}`, script));
      const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
      expect(exited.exit_code).toBe(code);
      expect(exited.reason).toBe(reason);
    });
  });

  it('stops a container that exits on SIGTERM within its grace period', async () => {
    const id = await startIn(
      target(),
      shared,
      makeContainer(
        target(),
        'polite',
        "trap 'exit 0' TERM; echo trapping; while :; do sleep 0.1; done",
      ),
    );
    // Stop only once the trap is set: PID 1 without a handler ignores SIGTERM, and a stop sent
    // while the shell is still starting would wait out the whole grace period.
    await logContains(target(), id, 'trapping');
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 30 });
    const status = await containerStatus(target(), id);
    expect(status.state).toBe('CONTAINER_EXITED');
    // 0, not 137: the trap ran, so it ended on SIGTERM before any SIGKILL. (How long that took
    // is the machine's business, not the contract's.)
    expect(status.exit_code).toBe(0);
  });

  it('kills a container that ignores SIGTERM once the timeout has passed (137)', async () => {
    const id = await startIn(
      target(),
      shared,
      makeContainer(target(), 'stubborn', "trap '' TERM; while :; do sleep 0.1; done"),
    );
    const started = Date.now();
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const status = await containerStatus(target(), id);
    expect(status.state).toBe('CONTAINER_EXITED');
    expect(status.exit_code).toBe(137);
    // Stopping an exited container again is a no-op.
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 1 });
  });

  it('removes a container (even a running one), and removing it again succeeds', async () => {
    const id = await startIn(target(), shared, makeContainer(target(), 'removed', 'sleep 3600'));
    await runtimeCall(target(), 'RemoveContainer', { container_id: id });
    const err = await grpcError(runtimeCall(target(), 'ContainerStatus', { container_id: id }));
    expect(err.code).toBe(grpcStatus.NOT_FOUND);
    await runtimeCall(target(), 'RemoveContainer', { container_id: id });
  });

  it('lists containers filtered by id, state, sandbox and label selector', async () => {
    const { pod, id: sandboxId } = await shared();
    const running = await startIn(
      target(),
      shared,
      makeContainer(target(), 'listed-running', 'sleep 3600', { labels: { 'critest/list': 'r' } }),
    );
    const created = await createContainer(
      target(),
      sandboxId,
      pod,
      makeContainer(target(), 'listed-created', 'sleep 3600', { labels: { 'critest/list': 'c' } }),
    );
    const ids = async (filter: object): Promise<string[]> =>
      (await runtimeCall(target(), 'ListContainers', { filter })).containers
        .map((c) => c.id)
        .sort();

    expect(await ids({ id: running })).toEqual([running]);
    expect(await ids({ label_selector: { 'critest/list': 'c' } })).toEqual([created]);
    const runningOnes = await ids({ state: { state: 'CONTAINER_RUNNING' } });
    expect(runningOnes).toContain(running);
    expect(runningOnes).not.toContain(created);
    expect(await ids({ state: { state: 'CONTAINER_CREATED' } })).toContain(created);
    const inPod = await ids({ pod_sandbox_id: sandboxId });
    expect(inPod).toEqual(expect.arrayContaining([running, created]));

    const { containers } = await runtimeCall(target(), 'ListContainers', {
      filter: { id: running },
    });
    expect(containers[0]).toMatchObject({
      id: running,
      pod_sandbox_id: sandboxId,
      metadata: { name: 'listed-running', attempt: 0 },
      state: 'CONTAINER_RUNNING',
      labels: { 'critest/list': 'r' },
    });
    await runtimeCall(target(), 'RemoveContainer', { container_id: created });
    await runtimeCall(target(), 'StopContainer', { container_id: running, timeout: 0 });
  });
}
