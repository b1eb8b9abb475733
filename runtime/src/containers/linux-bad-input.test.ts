// Bad requests get clear errors with the right code, and a failed create leaves nothing behind.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig } from '@skiff/proto';
import { mountPoints } from '../linux/index.js';
import { isRuntimeError, type RuntimeErrorCode } from './errors.js';
import {
  podConfig,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

const unknownId = '0123456789abcdef'.repeat(4);

async function codeOf(
  promise: Promise<unknown>,
): Promise<{ code: RuntimeErrorCode | 'none'; message: string }> {
  try {
    await promise;
    return { code: 'none', message: '' };
  } catch (err) {
    if (!isRuntimeError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

describe.skipIf(skipLinuxTests())('linux backend bad input', () => {
  let rt: LinuxTestRuntime;
  let sandboxId: string;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
    sandboxId = await rt.backend.runPodSandbox(
      podConfig('bad', { log_directory: `${rt.root}/logs` }),
    );
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  it.each([
    ['ContainerStatus', () => rt.backend.containerStatus(unknownId)],
    ['StartContainer', () => rt.backend.startContainer(unknownId)],
    ['StopContainer', () => rt.backend.stopContainer(unknownId, 1)],
    ['ExecSync', () => rt.backend.execSync(unknownId, ['true'], 1)],
    ['ContainerStats', () => rt.backend.containerStats(unknownId)],
    ['ReopenContainerLog', () => rt.backend.reopenContainerLog(unknownId)],
    ['UpdateContainerResources', () => rt.backend.updateContainerResources(unknownId, {})],
    ['PodSandboxStatus', () => rt.backend.podSandboxStatus(unknownId)],
    ['StopPodSandbox', () => rt.backend.stopPodSandbox(unknownId)],
    [
      'CreateContainer in an unknown sandbox',
      () => rt.backend.createContainer(unknownId, shellContainer('x', 'true')),
    ],
  ])('%s with an unknown id is NotFound, naming the id', async (_verb, call) => {
    const { code, message } = await codeOf(call());
    expect(code).toBe('NotFound');
    expect(message).toContain(unknownId);
  });

  it('treats removing unknown containers and sandboxes as done (CRI: idempotent)', async () => {
    await rt.backend.removeContainer(unknownId);
    await rt.backend.removePodSandbox(unknownId);
  });

  const badConfigs: [string, Partial<ContainerConfig>, RuntimeErrorCode, RegExp][] = [
    [
      'an image that is not present',
      { image: { image: 'skiff.local/missing:latest' } },
      'NotFound',
      /not found/,
    ],
    [
      'a malformed image reference',
      { image: { image: 'Not A//Reference' } },
      'InvalidArgument',
      /image/,
    ],
    ['no image', { image: { image: '' } }, 'InvalidArgument', /no image/],
    [
      'a command that does not exist',
      { command: ['/no/such/program'] },
      'InvalidArgument',
      /no\/such\/program/,
    ],
    [
      'a user missing from the image',
      { linux: { security_context: { run_as_username: 'nobody-here' } } },
      'InvalidArgument',
      /nobody-here/,
    ],
    [
      'a relative mount path',
      { mounts: [{ container_path: 'data', host_path: '/tmp' }] },
      'InvalidArgument',
      /not absolute/,
    ],
  ];

  it.each(badConfigs)(
    'rejects %s and leaves nothing behind',
    async (_what, patch, expectedCode, pattern) => {
      const before = await readdir(`${rt.root}/containers`);
      const { code, message } = await codeOf(
        rt.backend.createContainer(sandboxId, shellContainer('broken', 'true', patch)),
      );
      expect(code).toBe(expectedCode);
      expect(message).toMatch(pattern);
      expect(await readdir(`${rt.root}/containers`)).toEqual(before);
      expect(await rt.backend.listContainers({ pod_sandbox_id: sandboxId })).toEqual([]);
      expect(
        [...(await mountPoints())].filter((p) => p.startsWith(`${rt.root}/containers`)),
      ).toEqual([]);
    },
  );

  it('rejects a second container with the same name and attempt in a sandbox', async () => {
    const first = await rt.backend.createContainer(sandboxId, shellContainer('twin', 'true'));
    const { code, message } = await codeOf(
      rt.backend.createContainer(sandboxId, shellContainer('twin', 'true')),
    );
    expect(code).toBe('AlreadyExists');
    expect(message).toContain(first);
    await rt.backend.removeContainer(first);
  });

  it('rejects a sandbox without metadata and a second sandbox with the same name', async () => {
    expect((await codeOf(rt.backend.runPodSandbox({ hostname: 'x' }))).code).toBe(
      'InvalidArgument',
    );
    const config = podConfig('dup');
    const first = await rt.backend.runPodSandbox(config);
    expect((await codeOf(rt.backend.runPodSandbox(config))).code).toBe('AlreadyExists');
    await rt.backend.removePodSandbox(first);
  });

  it('rolls back a sandbox whose namespaces cannot be made (a sysctl the kernel lacks): no network, files or mounts left', async () => {
    const sandboxesBefore = await readdir(`${rt.root}/sandboxes`);
    const netnsBefore = await readdir('/run/netns');
    const sandboxMounts = async (): Promise<string[]> =>
      [...(await mountPoints())].filter((p) => p.startsWith(`${rt.root}/sandboxes`)).sort();
    const mountsBefore = await sandboxMounts();
    const bad = podConfig('badsysctl', { linux: { sysctls: { 'net.no.such.sysctl': '1' } } });
    const { code, message } = await codeOf(rt.backend.runPodSandbox(bad));
    expect(code).not.toBe('none');
    expect(message).toMatch(/no.such.sysctl|sysctl/);
    expect(await readdir(`${rt.root}/sandboxes`)).toEqual(sandboxesBefore);
    expect(await readdir('/run/netns')).toEqual(netnsBefore);
    expect(await sandboxMounts()).toEqual(mountsBefore);
    // The name is free again.
    await rt.backend.removePodSandbox(await rt.backend.runPodSandbox({ ...bad, linux: {} }));
  });

  it('refuses to start a container twice, to exec in one that is not running, and to create in a stopped sandbox', async () => {
    const id = await rt.backend.createContainer(sandboxId, shellContainer('once', 'sleep 60'));
    expect((await codeOf(rt.backend.execSync(id, ['true'], 1))).code).toBe('FailedPrecondition');
    await rt.backend.startContainer(id);
    expect((await codeOf(rt.backend.startContainer(id))).code).toBe('FailedPrecondition');
    expect((await codeOf(rt.backend.execSync(id, [], 1))).code).toBe('InvalidArgument');
    await rt.backend.removeContainer(id);

    const stopped = await rt.backend.runPodSandbox(podConfig('stopped'));
    await rt.backend.stopPodSandbox(stopped);
    const { code, message } = await codeOf(
      rt.backend.createContainer(stopped, shellContainer('late', 'true')),
    );
    expect(code).toBe('FailedPrecondition');
    expect(message).toMatch(/not ready/);
  });
});
