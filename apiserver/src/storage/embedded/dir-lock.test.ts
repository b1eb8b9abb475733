import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enc, openStore, tempDir } from './testing/fixtures.js';

/** A real process that idles until killed, to own a lock file. */
async function idleProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

describe('embedded storage: directory lock', () => {
  it('refuses a second open of the same directory in this process', async () => {
    const dir = await tempDir();
    await openStore(dir);
    await expect(openStore(dir)).rejects.toThrow(/already open in this process/);
  });

  it('takes over a stale lock that carries this process’s PID (a restarted container)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'LOCK'), `${process.pid}\n`);
    const s = await openStore(dir);
    expect(await s.currentRevision()).toBe(0);
  });

  it('refuses a directory locked by another live process, and takes it over once that dies', async () => {
    const dir = await tempDir();
    const owner = await idleProcess();
    await writeFile(join(dir, 'LOCK'), `${owner.pid}\n`);
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'Unavailable' });
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    const s = await openStore(dir);
    expect((await s.create('k', enc('x'))).modRevision).toBe(1);
  });

  it('releases the lock on close so the directory can be opened again', async () => {
    const dir = await tempDir();
    const s = await openStore(dir);
    await s.create('k', enc('x'));
    await s.close();
    const again = await openStore(dir);
    expect(await again.currentRevision()).toBe(1);
  });
});
