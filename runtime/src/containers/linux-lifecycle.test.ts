// Sandbox and container lifecycle with real containers (root, conmon, crun/runc): states, exit
// codes, timestamps, CRI-format logs, list filters, and clean removal.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountPoints } from '../linux/index.js';
import {
  eventually,
  podConfig,
  readLog,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

describe.skipIf(skipLinuxTests())('linux backend lifecycle', () => {
  let rt: LinuxTestRuntime;
  let logDir: string;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
    logDir = `${rt.root}/pod-logs`;
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  it('runs a sandbox that is READY with an address from the pod network', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const id = await rt.backend.runPodSandbox(
      podConfig('ready', { log_directory: `${logDir}/ready` }),
    );
    const status = await rt.backend.podSandboxStatus(id);
    expect(status.state).toBe('SANDBOX_READY');
    expect(status.network?.ip).toMatch(
      new RegExp(`^10\\.${rt.net.octets[0]}\\.${rt.net.octets[1]}\\.`),
    );
    expect(BigInt(status.created_at)).toBeGreaterThanOrEqual(before - 1_000_000n);
    expect(status.labels).toEqual({ app: 'ready' });
    expect(status.metadata?.namespace).toBe('default');
  });

  it('takes a container from created to running to exited with its exit code and timestamps', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('life', { log_directory: `${logDir}/life` }),
    );
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('worker', 'echo to-stdout; echo to-stderr >&2; sleep 0.3; exit 3'),
    );
    const created = await rt.backend.containerStatus(id);
    expect(created.state).toBe('CONTAINER_CREATED');
    expect(created.started_at).toBe('0');
    expect(created.log_path).toBe(`${logDir}/life/worker.log`);

    await rt.backend.startContainer(id);
    expect((await rt.backend.containerStatus(id)).state).toBe('CONTAINER_RUNNING');

    const exited = await eventually('the container to exit', async () => {
      const s = await rt.backend.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    expect(exited.exit_code).toBe(3);
    expect(exited.reason).toBe('Error');
    expect(BigInt(exited.started_at)).toBeGreaterThanOrEqual(BigInt(exited.created_at));
    expect(BigInt(exited.finished_at)).toBeGreaterThan(BigInt(exited.started_at));
    expect(exited.image?.image).toBe('skiff.local/busybox:latest');
    expect(exited.image_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(exited.labels).toEqual({ container: 'worker' });
    expect(exited.annotations).toEqual({ 'skiff.test/container': 'worker' });
  });

  it('writes the log in the CRI format, one line per output line and stream', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('logs', { log_directory: `${logDir}/logs` }),
    );
    const id = await rt.backend.createContainer(
      sandboxId,
      shellContainer('logger', 'echo first; echo oops >&2; printf "no-newline"'),
    );
    await rt.backend.startContainer(id);
    await eventually('exit', async () =>
      (await rt.backend.containerStatus(id)).state === 'CONTAINER_EXITED' ? true : undefined,
    );
    const lines = (await readLog(`${logDir}/logs/logger.log`)).trimEnd().split('\n');
    const format =
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) (stdout|stderr) (F|P) .*$/;
    for (const line of lines) expect(line).toMatch(format);
    // Each stream keeps its order; the two are separate pipes, so their interleaving is not fixed.
    const entries = lines.map((l) => l.split(' ').slice(1).join(' '));
    expect(entries.filter((e) => e.startsWith('stdout'))).toEqual([
      'stdout F first',
      'stdout P no-newline',
    ]);
    expect(entries.filter((e) => e.startsWith('stderr'))).toEqual(['stderr F oops']);
  });

  it('reports Completed for exit 0 and filters lists by state, sandbox and labels', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('lists', { log_directory: `${logDir}/lists` }),
    );
    const done = await rt.backend.createContainer(sandboxId, shellContainer('done', 'true'));
    const waiting = await rt.backend.createContainer(
      sandboxId,
      shellContainer('waiting', 'sleep 60'),
    );
    await rt.backend.startContainer(done);
    const status = await eventually('exit', async () => {
      const s = await rt.backend.containerStatus(done);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    expect(status.reason).toBe('Completed');
    expect(status.exit_code).toBe(0);

    const inSandbox = await rt.backend.listContainers({ pod_sandbox_id: sandboxId });
    expect(inSandbox.map((c) => c.id).sort()).toEqual([done, waiting].sort());
    const createdOnly = await rt.backend.listContainers({
      pod_sandbox_id: sandboxId,
      state: { state: 'CONTAINER_CREATED' },
    });
    expect(createdOnly.map((c) => c.id)).toEqual([waiting]);
    const byLabel = await rt.backend.listContainers({ label_selector: { container: 'done' } });
    expect(byLabel.map((c) => c.id)).toEqual([done]);
    const byPrefix = await rt.backend.listContainers({ id: done.slice(0, 12) });
    expect(byPrefix.map((c) => c.id)).toEqual([done]);
    expect(
      (await rt.backend.listPodSandbox({ label_selector: { app: 'lists' } })).map((s) => s.id),
    ).toEqual([sandboxId]);
  });

  it('lists a container that exited on its own as exited, before anyone asked for its status', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('exits', { log_directory: `${logDir}/exits` }),
    );
    const quick = await rt.backend.createContainer(sandboxId, shellContainer('quick', 'exit 4'));
    const staying = await rt.backend.createContainer(sandboxId, shellContainer('stay', 'sleep 60'));
    await rt.backend.startContainer(quick);
    await rt.backend.startContainer(staying);
    await eventually('conmon to write the exit file', async () =>
      existsSync(`${rt.root}/exits/${quick}`) ? true : undefined,
    );

    const exited = await rt.backend.listContainers({
      pod_sandbox_id: sandboxId,
      state: { state: 'CONTAINER_EXITED' },
    });
    expect(exited.map((c) => c.id)).toEqual([quick]);
    const all = await rt.backend.listContainers({});
    expect(all.find((c) => c.id === staying)?.state).toBe('CONTAINER_RUNNING');
    expect((await rt.backend.containerStatus(quick)).exit_code).toBe(4);
  });

  it('reports a container whose conmon was killed as exited with 255 and reason Unknown', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('lost', { log_directory: `${logDir}/lost` }),
    );
    const id = await rt.backend.createContainer(sandboxId, shellContainer('lost', 'sleep 60'));
    await rt.backend.startContainer(id);
    const conmonPid = Number(await readFile(`${rt.root}/containers/${id}/conmon.pid`, 'utf8'));
    const containerPid = Number(await readFile(`${rt.root}/containers/${id}/pid`, 'utf8'));
    process.kill(conmonPid, 'SIGKILL');
    // Orphaned, the container's process would run on unwatched: ended here, as a reboot would.
    process.kill(containerPid, 'SIGKILL');

    const listed = await eventually('the list to show the container exited', async () => {
      const found = await rt.backend.listContainers({ state: { state: 'CONTAINER_EXITED' } });
      return found.find((c) => c.id === id);
    });
    expect(listed.pod_sandbox_id).toBe(sandboxId);
    const status = await rt.backend.containerStatus(id);
    expect(status.exit_code).toBe(255);
    expect(status.reason).toBe('Unknown');
  });

  it('stops a sandbox (NOTREADY, containers exited) and removes it with everything it held', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('gone', { log_directory: `${logDir}/gone` }),
    );
    const id = await rt.backend.createContainer(sandboxId, shellContainer('sleeper', 'sleep 60'));
    await rt.backend.startContainer(id);

    await rt.backend.stopPodSandbox(sandboxId);
    await rt.backend.stopPodSandbox(sandboxId);
    expect((await rt.backend.podSandboxStatus(sandboxId)).state).toBe('SANDBOX_NOTREADY');
    expect((await rt.backend.containerStatus(id)).state).toBe('CONTAINER_EXITED');
    expect(
      await rt.backend.listPodSandbox({ id: sandboxId, state: { state: 'SANDBOX_READY' } }),
    ).toEqual([]);

    await rt.backend.removePodSandbox(sandboxId);
    await rt.backend.removePodSandbox(sandboxId);
    await expect(rt.backend.podSandboxStatus(sandboxId)).rejects.toThrow(/not found/);
    await expect(rt.backend.containerStatus(id)).rejects.toThrow(/not found/);
    expect(existsSync(`${rt.root}/sandboxes/${sandboxId}`)).toBe(false);
    expect(existsSync(`${rt.root}/containers/${id}`)).toBe(false);
    expect(
      [...(await mountPoints())].filter((p) => p.includes(sandboxId) || p.includes(id)),
    ).toEqual([]);
    expect(existsSync(`/run/netns/skiff-${sandboxId}`)).toBe(false);
    // The log stays for the kubelet, which owns the log directory.
    expect(existsSync(`${logDir}/gone/sleeper.log`)).toBe(true);
  });
});
