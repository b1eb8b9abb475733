// ExecSync, stop signals and timeouts, and log reopening on real containers.
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountPoints } from '../linux/index.js';
import { isRuntimeError } from './errors.js';
import {
  eventually,
  podConfig,
  readLog,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

describe.skipIf(skipLinuxTests())('linux exec, stop and logs', () => {
  let rt: LinuxTestRuntime;
  let sandboxId: string;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
    sandboxId = await rt.backend.runPodSandbox(
      podConfig('exec', { log_directory: `${rt.root}/logs` }),
    );
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  async function running(name: string, script: string): Promise<string> {
    const id = await rt.backend.createContainer(sandboxId, shellContainer(name, script));
    await rt.backend.startContainer(id);
    return id;
  }

  it('execs a command in a running container and returns stdout, stderr and the exit code', async () => {
    const id = await running('target', 'echo ready > /tmp/state; sleep 60');
    await eventually('the state file', async () =>
      (await rt.backend.execSync(id, ['test', '-e', '/tmp/state'], 5)).exitCode === 0
        ? true
        : undefined,
    );
    const result = await rt.backend.execSync(
      id,
      ['sh', '-c', 'cat /tmp/state; echo err >&2; hostname; exit 4'],
      5,
    );
    expect(result.stdout.toString()).toBe('ready\nexec\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.exitCode).toBe(4);
  });

  it('fails an exec that outlives its timeout with DeadlineExceeded', async () => {
    const id = await running('slow-exec', 'sleep 60');
    // DeadlineExceeded can only come from the 1 s timeout: left alone, sleep ends with 0.
    const err = await rt.backend.execSync(id, ['sleep', '30'], 1).catch((e: unknown) => e);
    expect(isRuntimeError(err, 'DeadlineExceeded')).toBe(true);
    // The container itself is untouched, and the timed-out process is gone.
    expect((await rt.backend.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    const ps = await rt.backend.execSync(id, ['ps', '-o', 'args'], 5);
    expect(ps.stdout.toString()).not.toContain('sleep 30');
  });

  it("fails an exec of a program the container lacks with the OCI runtime's reason", async () => {
    const id = await running('no-such-program', 'sleep 60');
    const err = await rt.backend.execSync(id, ['/no/such/program'], 5).catch((e: unknown) => e);
    expect(isRuntimeError(err, 'Internal')).toBe(true);
    expect(String(err)).toMatch(/exec failed: .*no such file or directory/i);
  });

  it('stops a container that handles SIGTERM with its own exit code, without waiting for the timeout', async () => {
    const id = await running(
      'polite',
      "trap 'exit 7' TERM; echo trapping; while :; do sleep 0.1; done",
    );
    // PID 1 without a handler ignores SIGTERM: stop only once the trap is set.
    const path = (await rt.backend.containerStatus(id)).log_path;
    await eventually('the trap', async () =>
      (await readLog(path)).includes('trapping') ? true : undefined,
    );
    await rt.backend.stopContainer(id, 30);
    const status = await rt.backend.containerStatus(id);
    expect(status.state).toBe('CONTAINER_EXITED');
    // 7, not 137: its own handler ended it, before any SIGKILL.
    expect(status.exit_code).toBe(7);
  });

  it('unmounts the rootfs and drops the OCI state on stop, keeping status and log until removal', async () => {
    const id = await running('released', 'echo bye; sleep 60');
    const path = (await rt.backend.containerStatus(id)).log_path;
    await eventually('its output', async () =>
      (await readLog(path)).includes('bye') ? true : undefined,
    );
    await rt.backend.stopContainer(id, 0);

    expect((await mountPoints()).has(`${rt.root}/containers/${id}/rootfs`)).toBe(false);
    expect(existsSync(`${rt.root}/oci/${id}`)).toBe(false);
    const status = await rt.backend.containerStatus(id);
    expect(status.state).toBe('CONTAINER_EXITED');
    expect(status.exit_code).toBe(137);
    expect(await readLog(path)).toContain('bye');

    await rt.backend.removeContainer(id);
    expect(existsSync(`${rt.root}/containers/${id}`)).toBe(false);
    expect(await rt.backend.listContainers({ id })).toEqual([]);
  });

  it('escalates to SIGKILL when the container ignores SIGTERM past the timeout', async () => {
    // Ignored either way: by the trap, or (before it is set) as PID 1 without a handler.
    const id = await running('stubborn', "trap '' TERM; while :; do sleep 0.1; done");
    const started = Date.now();
    await rt.backend.stopContainer(id, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const status = await rt.backend.containerStatus(id);
    expect(status.exit_code).toBe(137);
    expect(status.reason).toBe('Error');
    // Stopping again is a no-op.
    await rt.backend.stopContainer(id, 1);
  });

  it('reopens the log after the kubelet rotated it', async () => {
    const id = await running(
      'rotated',
      'i=0; while :; do i=$((i+1)); echo line-$i; sleep 0.05; done',
    );
    const path = (await rt.backend.containerStatus(id)).log_path;
    await eventually('some output', async () =>
      (await readLog(path)).includes('line-2') ? true : undefined,
    );
    await rename(path, `${path}.1`);
    await rt.backend.reopenContainerLog(id);
    const fresh = await eventually('output in the new file', async () => {
      const text = await readLog(path);
      return text.includes('line-') ? text : undefined;
    });
    expect(fresh.split('\n')[0]).toMatch(/ stdout F line-\d+$/);
    await rt.backend.stopContainer(id, 0);
    await expect(rt.backend.reopenContainerLog(id)).rejects.toThrow(/not running/);
  });
});
