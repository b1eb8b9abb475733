// The process backend with real processes: lifecycle, exit codes, CRI logs, exec, stop with
// escalation, survival of its supervisor across a "restart", and an honest Status.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '@skiff/proto';
import { isRuntimeError } from '../errors.js';
import { ProcessBackend } from './process-backend.js';

let counter = 0;
function pod(): PodSandboxConfig {
  counter += 1;
  return {
    metadata: { name: `p${counter}`, namespace: 'default', uid: `u${counter}` },
    labels: { n: String(counter) },
  };
}
function shell(name: string, script: string): ContainerConfig {
  return { metadata: { name }, command: ['sh', '-c', script], log_path: `${name}.log` };
}

describe('process backend', () => {
  let root: string;
  let backend: ProcessBackend;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'skiff-process-backend-'));
    backend = await ProcessBackend.open({ root, reason: 'test' });
  });
  afterAll(async () => {
    for (const s of await backend.listPodSandbox()) await backend.removePodSandbox(s.id);
    await rm(root, { recursive: true, force: true });
  });

  async function exited(
    id: string,
  ): Promise<Awaited<ReturnType<ProcessBackend['containerStatus']>>> {
    for (let i = 0; i < 200; i += 1) {
      const status = await backend.containerStatus(id);
      if (status.state === 'CONTAINER_EXITED') return status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`container ${id} did not exit`);
  }

  it('says in Status that there is no isolation', async () => {
    const [runtime, network] = await backend.conditions();
    expect(runtime?.status).toBe(true);
    expect(runtime?.message).toMatch(/NO isolation/);
    expect(network?.message).toMatch(/host network/);
    const sandboxId = await backend.runPodSandbox(pod());
    const status = await backend.podSandboxStatus(sandboxId);
    expect(status.linux?.namespaces?.options).toMatchObject({
      network: 'NODE',
      pid: 'NODE',
      ipc: 'NODE',
    });
  });

  it('runs a command to its exit code and writes a CRI log', async () => {
    const sandboxId = await backend.runPodSandbox({ ...pod(), log_directory: join(root, 'logs') });
    const id = await backend.createContainer(
      sandboxId,
      shell('job', 'echo out; echo err >&2; exit 5'),
    );
    expect((await backend.containerStatus(id)).state).toBe('CONTAINER_CREATED');
    await backend.startContainer(id);
    const status = await exited(id);
    expect(status.exit_code).toBe(5);
    expect(status.reason).toBe('Error');
    const log = await readFile(join(root, 'logs', 'job.log'), 'utf8');
    expect(log).toMatch(/^\S+Z stdout F out$/m);
    expect(log).toMatch(/^\S+Z stderr F err$/m);
  });

  it('execs, stops with SIGKILL after the timeout, and reports the signal', async () => {
    const sandboxId = await backend.runPodSandbox(pod());
    const id = await backend.createContainer(
      sandboxId,
      shell('stubborn', "trap '' TERM; while :; do sleep 0.1; done"),
    );
    await backend.startContainer(id);
    const result = await backend.execSync(id, ['sh', '-c', 'echo hi; exit 2'], 5);
    expect(result).toMatchObject({ exitCode: 2 });
    expect(result.stdout.toString()).toBe('hi\n');
    const timeout = await backend.execSync(id, ['sleep', '10'], 1).catch((err: unknown) => err);
    expect(isRuntimeError(timeout, 'DeadlineExceeded')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await backend.stopContainer(id, 1);
    expect((await backend.containerStatus(id)).exit_code).toBe(137);
  });

  it('keeps a container running across a new backend instance and records its exit', async () => {
    const sandboxId = await backend.runPodSandbox(pod());
    const id = await backend.createContainer(sandboxId, shell('survivor', 'sleep 0.5; exit 9'));
    await backend.startContainer(id);
    const reopened = await ProcessBackend.open({ root });
    expect((await reopened.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    for (
      let i = 0;
      i < 100 && (await reopened.containerStatus(id)).state !== 'CONTAINER_EXITED';
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await reopened.containerStatus(id)).exit_code).toBe(9);
  });

  it('lists sandboxes and containers oldest first, also after a restart', async () => {
    const sandboxId = await backend.runPodSandbox(pod());
    const created: string[] = [];
    for (const name of ['first', 'second', 'third', 'fourth']) {
      created.push(await backend.createContainer(sandboxId, shell(name, 'exit 0')));
      // Creation times are in ms: keep each a distinct tick.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const reopened = await ProcessBackend.open({ root });
    for (const listing of [backend, reopened]) {
      const ids = (await listing.listContainers({ pod_sandbox_id: sandboxId })).map((c) => c.id);
      expect(ids).toEqual(created);
      const sandboxes = await listing.listPodSandbox();
      const times = sandboxes.map((s) => BigInt(s.created_at));
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });

  it('refuses resource limits it cannot enforce, and unknown programs', async () => {
    const sandboxId = await backend.runPodSandbox(pod());
    const id = await backend.createContainer(sandboxId, shell('idle', 'sleep 30'));
    const err = await backend
      .updateContainerResources(id, { memory_limit_in_bytes: 1 << 20 })
      .catch((e: unknown) => e);
    expect(isRuntimeError(err, 'Unimplemented')).toBe(true);
    const missing = await backend
      .createContainer(sandboxId, { metadata: { name: 'nope' }, command: ['/no/such/program'] })
      .catch((e: unknown) => e);
    expect(isRuntimeError(missing, 'InvalidArgument')).toBe(true);
    await backend.removeContainer(id);
    expect(await backend.listContainers({ pod_sandbox_id: sandboxId })).toEqual([]);
  });
});
