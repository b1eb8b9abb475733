// The control FIFO's pacing, against real FIFOs read the way conmon reads them: a line is
// written only once every earlier one has been read, so that conmon 2.1.6 (which acts on the
// first line of each read only) never reads two at once.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reopenConmonLog, resizeConmonTerminal } from './conmon-control.js';

let bundle = '';
const readers: FileHandle[] = [];

/** A FIFO in the bundle with a reader that, like a busy conmon, reads only when told. */
async function fifo(name: string): Promise<{ take(): Promise<string> }> {
  const path = join(bundle, name);
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path}: ${String(made.stderr)}`);
  const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  readers.push(reader);
  return {
    take: async () => {
      const buffer = Buffer.alloc(256);
      const { bytesRead } = await reader.read(buffer, 0, buffer.length, null);
      return buffer.toString('utf8', 0, bytesRead);
    },
  };
}

/** Whether `line` has been written yet (a wait of the test's cannot make it so too early). */
function written(line: Promise<void>): () => boolean {
  let done = false;
  void line.then(() => (done = true));
  return () => done;
}

beforeEach(async () => {
  bundle = await mkdtemp(join(tmpdir(), 'skiff-conmon-control-'));
});

afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
  await rm(bundle, { recursive: true, force: true });
});

describe('conmon control lines', () => {
  it('writes a size only once conmon has read the one before: never two lines in one read', async () => {
    const ctl = await fifo('ctl');
    const plusOne = resizeConmonTerminal(bundle, { width: 112, height: 38 });
    const own = resizeConmonTerminal(bundle, { width: 111, height: 37 });
    const ownWritten = written(own);
    await plusOne;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ownWritten()).toBe(false);
    expect(await ctl.take()).toBe('1 38 112\n');
    await own;
    expect(await ctl.take()).toBe('1 37 111\n');
  });

  it('waits for the winsz FIFO too, where conmon passes sizes on', async () => {
    const ctl = await fifo('ctl');
    const winsz = await fifo('winsz');
    const passedOn = await open(join(bundle, 'winsz'), constants.O_WRONLY | constants.O_NONBLOCK);
    await passedOn.write('38 112\n');
    await passedOn.close();
    const own = resizeConmonTerminal(bundle, { width: 111, height: 37 });
    const ownWritten = written(own);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ownWritten()).toBe(false);
    expect(await winsz.take()).toBe('38 112\n');
    await own;
    expect(await ctl.take()).toBe('1 37 111\n');
  });

  it('reopens the log through the same queue, and clamps sizes to what conmon takes', async () => {
    const ctl = await fifo('ctl');
    await resizeConmonTerminal(bundle, { width: 5000, height: -3 });
    expect(await ctl.take()).toBe('1 0 1000\n');
    await reopenConmonLog(bundle);
    expect(await ctl.take()).toBe('2 0 0\n');
  });

  it('fails at once when no conmon reads the FIFO (the container has exited)', async () => {
    const made = spawnSync('mkfifo', [join(bundle, 'ctl')]);
    expect(made.status).toBe(0);
    await expect(resizeConmonTerminal(bundle, { width: 80, height: 24 })).rejects.toMatchObject({
      code: 'ENXIO',
    });
  });
});
