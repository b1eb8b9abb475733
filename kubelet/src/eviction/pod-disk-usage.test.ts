import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { isLocalEphemeralVolume, measureDir, withDiskUsage } from './pod-disk-usage.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pod-disk-usage-'));
  dirs.push(dir);
  return dir;
}

describe('measureDir', () => {
  it('counts allocated bytes and inodes like du, without following symlinks', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a'), Buffer.alloc(64 * 1024, 1));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'b'), Buffer.alloc(64 * 1024, 1));
    await symlink('/usr', join(dir, 'link'));
    const used = await measureDir(dir);
    // Two 64 KiB files at least; the two dirs and the link are a few blocks more, never /usr.
    expect(used?.bytes).toBeGreaterThanOrEqual(128 * 1024);
    expect(used?.bytes).toBeLessThan(1024 * 1024);
    expect(used?.inodes).toBe(5);
    expect(await measureDir(join(dir, 'missing'))).toBeUndefined();
  });
});

describe('isLocalEphemeralVolume', () => {
  it.each<[string, Volume, boolean]>([
    ['emptyDir on disk', { name: 'v', emptyDir: {} }, true],
    ['emptyDir in memory', { name: 'v', emptyDir: { medium: 'Memory' } }, false],
    ['configMap', { name: 'v', configMap: { name: 'c' } }, true],
    ['downwardAPI', { name: 'v', downwardAPI: {} }, true],
    ['secret (tmpfs in Kubernetes)', { name: 'v', secret: { secretName: 's' } }, false],
    ['hostPath', { name: 'v', hostPath: { path: '/tmp' } }, false],
  ])('%s → %s', (_name, volume, want) => {
    expect(isLocalEphemeralVolume(volume)).toBe(want);
  });
});

describe('withDiskUsage', () => {
  it('adds each container’s logs and the local volumes to what the runtime measured', async () => {
    const root = await tempDir();
    const pod = makePod()
      .name('web')
      .uid('u1')
      .container('app')
      .spec({
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'ram', emptyDir: { medium: 'Memory' } },
        ],
      })
      .obj();
    await mkdir(join(root, 'logs', 'app'), { recursive: true });
    await writeFile(join(root, 'logs', 'app', '0.log'), Buffer.alloc(32 * 1024, 1));
    await mkdir(join(root, 'volumes', 'scratch'), { recursive: true });
    await writeFile(join(root, 'volumes', 'scratch', 'data'), Buffer.alloc(256 * 1024, 1));
    await mkdir(join(root, 'volumes', 'ram'), { recursive: true });
    await writeFile(join(root, 'volumes', 'ram', 'data'), Buffer.alloc(512 * 1024, 1));
    const usage = await withDiskUsage(
      pod,
      { containers: [{ name: 'app', rootfsBytes: 7, memoryWorkingSetBytes: 9 }] },
      {
        volumeDir: (_uid, volume) => join(root, 'volumes', volume.name),
        podLogDir: () => join(root, 'logs'),
      },
    );
    const [app] = usage.containers;
    expect(app).toMatchObject({ name: 'app', rootfsBytes: 7, memoryWorkingSetBytes: 9 });
    expect(app?.logsBytes).toBeGreaterThanOrEqual(32 * 1024);
    expect(app?.logsInodes).toBe(2);
    // The tmpfs emptyDir is memory, not disk: only scratch counts.
    expect(usage.volumeBytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(usage.volumeBytes).toBeLessThan(512 * 1024);
  });
});
