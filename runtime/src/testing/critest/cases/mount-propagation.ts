// Mount propagation of a host path mount, as the validation suite checks it: PRIVATE sees none of
// the host's later mounts under the path, HOST_TO_CONTAINER (rslave) sees them, BIDIRECTIONAL
// (rshared, privileged) also shows the container's mounts to the host. A host path whose mount
// cannot carry the propagation (a private mount: this machine's / is one) is refused at create,
// in containerd's words. The shared source is a tmpfs the test mounts and makes shared.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerConfig, MountPropagation } from '@skiff/proto';
import { grpcError } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { shIn } from '../container-exec.js';
import {
  createContainer,
  makeContainer,
  privileged,
  sharedPod,
  startContainer,
  withSecurityContext,
} from '../pods.js';

const run = promisify(execFile);

export function mountPropagationCases(target: () => CriTarget): void {
  const pod = sharedPod(target, 'propagation', privileged);
  let dir = '';
  /** A tmpfs made a shared mount: a source that can carry every propagation. */
  let shared = '';
  /** A plain directory on this machine's private root mount. */
  let onPrivateMount = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-critest-propagation-'));
    shared = join(dir, 'shared');
    onPrivateMount = join(dir, 'private');
    await mkdir(shared);
    await mkdir(onPrivateMount);
    await run('mount', ['-t', 'tmpfs', 'critest-shared', shared]);
    await run('mount', ['--make-shared', shared]);
  });

  afterAll(async () => {
    if (dir === '') return;
    // Containers may still hold copies of the mounts; a lazy unmount detaches the host's now.
    await run('umount', ['-R', '-l', shared]);
    await rm(dir, { recursive: true, force: true });
  });

  const withVolume = (
    config: ContainerConfig,
    hostPath: string,
    mode: MountPropagation,
  ): ContainerConfig => ({
    ...config,
    mounts: [{ container_path: '/mnt/volume', host_path: hostPath, propagation: mode }],
  });

  /** Starts a container with `hostPath/<name>` at /mnt/volume under `mode`. */
  const start = async (name: string, mode: MountPropagation): Promise<string> => {
    const hostPath = join(shared, name);
    await mkdir(hostPath);
    const { pod: fixture, id: sandboxId } = await pod();
    const config = withSecurityContext(makeContainer(target(), name, 'exec sleep 3600'), {
      privileged: true,
    });
    return startContainer(target(), sandboxId, fixture, withVolume(config, hostPath, mode));
  };

  /** Mounts a tmpfs with a file at hostPath/<name>/later, after the container started. */
  const mountLater = async (name: string): Promise<void> => {
    const later = join(shared, name, 'later');
    await mkdir(later);
    await run('mount', ['-t', 'tmpfs', 'critest-later', later]);
    await writeFile(join(later, 'file'), 'mounted on the host\n');
  };

  it.each([
    { mode: 'PROPAGATION_PRIVATE', seen: false },
    { mode: 'PROPAGATION_HOST_TO_CONTAINER', seen: true },
    { mode: 'PROPAGATION_BIDIRECTIONAL', seen: true },
  ] as const)("$mode: the host's later mounts seen inside: $seen", async ({ mode, seen }) => {
    const name = mode.toLowerCase().replaceAll('_', '-');
    const id = await start(name, mode);
    await mountLater(name);
    const result = await shIn(target(), id, 'cat /mnt/volume/later/file');
    if (seen) expect(result.stdout).toBe('mounted on the host\n');
    else expect(result.exitCode).not.toBe(0);
  });

  it("PROPAGATION_BIDIRECTIONAL: the container's mounts are seen on the host", async () => {
    const id = await start('bidirectional-back', 'PROPAGATION_BIDIRECTIONAL');
    const script =
      'mkdir /mnt/volume/inner && mount -t tmpfs inner /mnt/volume/inner && echo from the container > /mnt/volume/inner/file';
    expect((await shIn(target(), id, script)).exitCode).toBe(0);
    expect(await readFile(join(shared, 'bidirectional-back', 'inner', 'file'), 'utf8')).toBe(
      'from the container\n',
    );
  });

  it.each([
    { mode: 'PROPAGATION_HOST_TO_CONTAINER', words: 'is not a shared or slave mount' },
    { mode: 'PROPAGATION_BIDIRECTIONAL', words: 'is not a shared mount' },
  ] as const)('refuses $mode from a private mount', async ({ mode, words }) => {
    const { pod: fixture, id: sandboxId } = await pod();
    const config = withVolume(
      withSecurityContext(makeContainer(target(), `refused-${mode}`, 'exec sleep 3600'), {
        privileged: true,
      }),
      onPrivateMount,
      mode,
    );
    const err = await grpcError(createContainer(target(), sandboxId, fixture, config));
    // containerd 1.6 answers UNKNOWN, skiff INVALID_ARGUMENT: the words are the contract here.
    expect(err.details).toContain(words);
  });
}
