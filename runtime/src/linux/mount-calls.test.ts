// Real mounts (root only): tmpfs in a temp directory, made and removed by the system calls.
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountFilesystem, mountsBySystemCall, unmountFilesystem } from './mount-calls.js';
import { isMountPoint } from './mountinfo.js';

const asRoot = process.getuid?.() === 0;

/** The mount's line in /proc/self/mountinfo, or undefined. */
async function mountLine(target: string): Promise<string | undefined> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').find((line) => line.split(' ')[4] === target);
}

describe.skipIf(!asRoot)('mount system calls', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-mount-calls-'));
  });
  afterEach(async () => {
    if (await isMountPoint(join(dir, 'shm'))) await unmountFilesystem(join(dir, 'shm'));
    await rm(dir, { recursive: true, force: true });
  });

  it('are made in this process (koffi loads on this platform)', async () => {
    expect(await mountsBySystemCall()).toBe(true);
  });

  it('mounts a tmpfs with its flags and options, and unmounts it', async () => {
    const target = join(dir, 'shm');
    await mkdir(target);
    await mountFilesystem({
      fstype: 'tmpfs',
      source: 'shm',
      target,
      flags: ['nosuid', 'nodev', 'noexec'],
      data: 'mode=700,size=1m',
    });
    const line = await mountLine(target);
    expect(line).toBeDefined();
    expect(line?.split(' ')[5]?.split(',')).toEqual(
      expect.arrayContaining(['nosuid', 'nodev', 'noexec']),
    );
    expect(line).toMatch(/ - tmpfs shm rw,size=1024k,mode=700$/);
    await unmountFilesystem(target);
    expect(await isMountPoint(target)).toBe(false);
  });

  it('detaches a busy mount lazily, so it leaves the tree at once', async () => {
    const target = join(dir, 'shm');
    await mkdir(target);
    await mountFilesystem({ fstype: 'tmpfs', source: 'shm', target, data: 'size=1m' });
    const busy = await open(join(target, 'held-open'), 'w');
    try {
      await unmountFilesystem(target);
      expect(await isMountPoint(target)).toBe(false);
    } finally {
      await busy.close();
    }
  });

  it.each([
    ['an unknown filesystem type', 'no-such-fs', '', /mounting no-such-fs on .*: ENODEV/],
    ['a missing mount point', 'tmpfs', 'missing', /mounting tmpfs on .*: ENOENT \(no such file/],
  ])('says which errno %s gave', async (_, fstype, sub, message) => {
    await expect(
      mountFilesystem({ fstype, source: 'x', target: join(dir, sub), data: '' }),
    ).rejects.toThrow(message);
  });

  it('fails to unmount what is not mounted, naming EINVAL', async () => {
    await expect(unmountFilesystem(dir)).rejects.toThrow(/unmounting .*: EINVAL/);
  });
});
