import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isImageError } from '../errors.js';
import { ImageStore } from '../image-store.js';
import { requireHostTool } from '../testing/host-tools.js';
import { withTempDir } from '../testing/temp-dir.js';
import { findBusybox, isStaticElf } from './busybox-binary.js';
import { buildDemoImages, DEMO_IMAGE, PAUSE_IMAGE, PAUSE_SCRIPT } from './demo-images.js';

const run = promisify(execFile);
const haveBusybox = requireHostTool('/bin/busybox', 'busybox-static');

describe.runIf(haveBusybox)('ensureDemoImages', () => {
  it('builds a busybox image and a pause image of one static file, once', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      const { busybox, pause } = await store.ensureDemoImages();
      expect(busybox).toMatchObject({ repoTags: [`${DEMO_IMAGE}`], config: { Cmd: ['sh'] } });
      expect(pause).toMatchObject({ repoTags: [PAUSE_IMAGE], config: { Entrypoint: ['/pause'] } });
      const [pauseRoot, ...more] = await store.layersFor(PAUSE_IMAGE);
      expect(more).toEqual([]);
      expect(await readdir(pauseRoot ?? '')).toEqual(['pause']);
      expect(await isStaticElf(join(pauseRoot ?? '', 'pause'))).toBe(true);
      const again = await store.ensureDemoImages();
      expect(again.busybox.createdAt).toBe(busybox.createdAt);
    }));

  it('keeps the busybox pause loop, on the busybox layer, where the pause ELF does not run', async () => {
    const { busybox, pause } = await buildDemoImages(await findBusybox(), 'arm64');
    expect(pause.layers.map((l) => l.digest)).toEqual(busybox.layers.map((l) => l.digest));
    expect(JSON.parse(pause.config.bytes.toString())).toMatchObject({
      config: { Entrypoint: ['/bin/sh', '-c', PAUSE_SCRIPT] },
    });
  });

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

  it.each([
    ['SIGTERM', 'the pause ELF', PAUSE_IMAGE, ['/pause']],
    ['SIGINT', 'the pause ELF', PAUSE_IMAGE, ['/pause']],
    ['SIGTERM', 'the busybox pause loop', DEMO_IMAGE, ['/bin/sh', '-c', PAUSE_SCRIPT]],
  ] as const)('exits 0 on %s (%s)', (signal, _which, image, command) =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      await store.ensureDemoImages();
      const [rootfs] = await store.layersFor(image);
      if (rootfs === undefined) throw new Error('the image has one layer');
      const child = spawn('chroot', [rootfs, ...command], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      // chroot execs the command in place; once it catches the signal, it is ready for it.
      await waitFor(async () => caughtSignals(child.pid).has(signal));
      child.kill(signal);
      expect(await exited).toBe(0);
    }),
  );

  it('reaps the orphans a shared PID namespace gives it, as its PID 1', () =>
    withTempDir(async (dir) => {
      const store = await ImageStore.open({ root: dir });
      await store.ensureDemoImages();
      const [rootfs] = await store.layersFor(PAUSE_IMAGE);
      if (rootfs === undefined) throw new Error('the pause image has one layer');
      const pause = spawn(
        'unshare',
        ['--pid', '--fork', '--kill-child', 'chroot', rootfs, '/pause'],
        {
          stdio: 'ignore',
        },
      );
      const exited = new Promise<number | null>((resolve) =>
        pause.once('exit', (code) => resolve(code)),
      );
      try {
        // unshare forks the namespace's PID 1: chroot, which becomes /pause.
        let pid1 = 0;
        await waitFor(async () => {
          pid1 = Number((await childrenOf(pause.pid)).split(' ')[0]);
          return pid1 > 0 && caughtSignals(pid1).has('SIGTERM');
        });
        // A shell in the namespace starts a sleep and exits: the sleep is reparented to PID 1.
        await run('nsenter', [
          '-t',
          String(pid1),
          '-p',
          'sh',
          '-c',
          'sleep 1000 >/dev/null 2>&1 & exit 0',
        ]);
        let orphan = 0;
        await waitFor(async () => (orphan = Number(await childrenOf(pid1))) > 0);
        // Once it is killed, nothing of it is left: no zombie waits to be collected.
        process.kill(orphan, 'SIGKILL');
        await waitFor(async () => (await childrenOf(pid1)) === '');
        // unshare waits for its child whatever it is sent: the signal goes to PID 1 itself.
        process.kill(pid1, 'SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        // A failed case leaves nothing running: unshare's --kill-child takes PID 1 with it.
        pause.kill('SIGKILL');
      }
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

/** The children of `pid`, as /proc lists them ('' for none or no such process). */
async function childrenOf(pid: number | undefined): Promise<string> {
  return (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
}

/** The signals `pid` has a handler for (SigCgt in /proc/<pid>/status). */
function caughtSignals(pid: number | undefined): Set<string> {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
  const names: Record<number, string> = { 2: 'SIGINT', 15: 'SIGTERM' };
  return new Set(
    Object.entries(names)
      .filter(([n]) => (mask >> BigInt(Number(n) - 1)) & 1n)
      .map(([, name]) => name),
  );
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 10 s');
}
