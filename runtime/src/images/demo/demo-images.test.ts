import { spawn, execFile } from 'node:child_process';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isImageError } from '../errors.js';
import { ImageStore } from '../image-store.js';
import { requireHostTool } from '../testing/host-tools.js';
import { withTempDir } from '../testing/temp-dir.js';
import { findBusybox, isStaticElf } from './busybox-binary.js';
import { DEMO_IMAGE, PAUSE_IMAGE, PAUSE_SCRIPT } from './demo-images.js';

const run = promisify(execFile);
const haveBusybox = requireHostTool('/bin/busybox', 'busybox-static');

describe.runIf(haveBusybox)('ensureDemoImages', () => {
  it('builds busybox and pause images that share one layer, once', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const { busybox, pause } = await store.ensureDemoImages();
      expect(busybox).toMatchObject({ repoTags: [`${DEMO_IMAGE}`], config: { Cmd: ['sh'] } });
      expect(pause).toMatchObject({
        repoTags: [PAUSE_IMAGE],
        config: { Entrypoint: ['/bin/sh', '-c', PAUSE_SCRIPT] },
      });
      expect(await store.layersFor(DEMO_IMAGE)).toEqual(await store.layersFor(PAUSE_IMAGE));
      const again = await store.ensureDemoImages();
      expect(again.busybox.createdAt).toBe(busybox.createdAt);
    }));

  it('makes the same image IDs from the same busybox on every machine', () =>
    withTempDir(async (dir) => {
      const a = await (await ImageStore.open({ root: join(dir, 'a') })).ensureDemoImages();
      const b = await (await ImageStore.open({ root: join(dir, 'b') })).ensureDemoImages();
      expect([a.busybox.id, a.pause.id]).toEqual([b.busybox.id, b.pause.id]);
    }));

  it('lays out a root filesystem where busybox runs', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      await store.ensureDemoImages();
      const [rootfs] = await store.layersFor(DEMO_IMAGE);
      if (rootfs === undefined) throw new Error('the demo image has one layer');
      expect(await isStaticElf(join(rootfs, 'bin/busybox'))).toBe(true);
      for (const applet of [
        'sh',
        'ls',
        'cat',
        'sleep',
        'echo',
        'wget',
        'httpd',
        'nc',
        'ps',
        'hostname',
        'id',
        'env',
        'top',
      ]) {
        expect(await readlink(join(rootfs, 'bin', applet))).toBe('busybox');
      }
      expect(await readFile(join(rootfs, 'etc/passwd'), 'utf8')).toContain(
        'root:x:0:0:root:/root:/bin/sh',
      );
      expect(await readFile(join(rootfs, 'etc/group'), 'utf8')).toContain('nogroup:x:65534:');
      expect((await lstat(join(rootfs, 'tmp'))).mode & 0o7777).toBe(0o1777);
      const { stdout } = await run('chroot', [
        rootfs,
        '/bin/sh',
        '-c',
        'echo hello from $(id -un) in $(pwd)',
      ]);
      expect(stdout.trim()).toBe('hello from root in /');
    }));

  it('runs a pause process that exits 0 on SIGTERM', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      await store.ensureDemoImages();
      const [rootfs] = await store.layersFor(PAUSE_IMAGE);
      if (rootfs === undefined) throw new Error('the pause image has one layer');
      const child = spawn('chroot', [rootfs, '/bin/sh', '-c', PAUSE_SCRIPT], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      // chroot execs sh in place; once sh has its sleep child, the trap is installed.
      await waitFor(
        async () =>
          (
            await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '')
          ).trim() !== '',
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }));
});

describe('findBusybox', () => {
  it.each([
    ['is missing', ['/nonexistent/busybox'], 'busybox-static'],
    ['is dynamically linked', ['/bin/ls'], 'dynamically linked'],
  ])('explains what to install when busybox %s', async (_what, paths, fragment) => {
    const err = await findBusybox(paths).catch((e: unknown) => e);
    expect(isImageError(err, 'HostError')).toBe(true);
    expect((err as Error).message).toContain(fragment);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 2 s');
}
