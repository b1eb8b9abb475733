import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@skiff/api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForFile, watchFor } from './watch-for.js';

describe('watchFor', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-watch-for-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Like the exit file: missing or still empty means "not yet".
  const contentOf = (name: string) => async (): Promise<string | undefined> => {
    const text = await readFile(join(dir, name), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return text === '' ? undefined : text;
  };

  // The fake clock never moves in these: only inotify can wake the waiter.
  it('resolves when the file is renamed into place, with no poll or timeout firing', async () => {
    const clock = new FakeClock(0);
    const waiting = watchFor(dir, 'exit', contentOf('exit'), {
      timeoutMs: 60_000,
      fallbackPollMs: 60_000,
      clock,
    });
    // The way conmon writes it: a temporary file renamed over the final name.
    await writeFile(join(dir, '.exit.tmp'), '0');
    await rename(join(dir, '.exit.tmp'), join(dir, 'exit'));
    expect(await waiting).toBe('0');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('wakes for any of several names', async () => {
    const clock = new FakeClock(0);
    const waiting = watchFor(
      dir,
      ['pid', 'exit'],
      async () => (await contentOf('pid')()) ?? (await contentOf('exit')()),
      { timeoutMs: 60_000, fallbackPollMs: 60_000, clock },
    );
    await writeFile(join(dir, 'exit'), '1');
    expect(await waiting).toBe('1');
  });

  it('resolves at once when the file is already there', async () => {
    await writeFile(join(dir, 'exit'), '3');
    const clock = new FakeClock(0);
    expect(
      await watchFor(dir, 'exit', contentOf('exit'), {
        timeoutMs: 1000,
        fallbackPollMs: 100,
        clock,
      }),
    ).toBe('3');
  });

  it('finds by its fallback poll what no file event announces', async () => {
    const clock = new FakeClock(0);
    let gone = false;
    const waiting = watchFor(dir, 'exit', async () => (gone ? 'monitor gone' : undefined), {
      timeoutMs: 60_000,
      fallbackPollMs: 100,
      clock,
    });
    gone = true;
    await clock.advance(100);
    expect(await waiting).toBe('monitor gone');
  });

  it('resolves undefined when nothing turns up before the timeout', async () => {
    const clock = new FakeClock(0);
    const waiting = watchFor(dir, 'exit', contentOf('exit'), {
      timeoutMs: 500,
      fallbackPollMs: 100,
      clock,
    });
    await clock.advance(500);
    expect(await waiting).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects with the failure of a look', async () => {
    const failing = (): Promise<undefined> => Promise.reject(new Error('unreadable'));
    await expect(
      watchFor(dir, 'exit', failing, {
        timeoutMs: 60_000,
        fallbackPollMs: 60_000,
        clock: new FakeClock(0),
      }),
    ).rejects.toThrow('unreadable');
  });

  it('falls back to its poll when the directory cannot be watched', async () => {
    const clock = new FakeClock(0);
    const later = join(dir, 'later');
    const waiting = watchFor(
      later,
      'exit',
      () => readFile(join(later, 'exit'), 'utf8').catch(() => undefined),
      { timeoutMs: 60_000, fallbackPollMs: 100, clock },
    );
    await mkdir(later);
    await writeFile(join(later, 'exit'), '0');
    await clock.advance(100);
    expect(await waiting).toBe('0');
  });
});

describe('waitForFile', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-wait-for-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is true once the file is created', async () => {
    const waiting = waitForFile(join(dir, 'pid'), { timeoutMs: 60_000, clock: new FakeClock(0) });
    await writeFile(join(dir, 'pid'), '42');
    expect(await waiting).toBe(true);
  });

  it('is false when the file does not appear within the timeout', async () => {
    const clock = new FakeClock(0);
    const waiting = waitForFile(join(dir, 'pid'), { timeoutMs: 2000, clock });
    await clock.advance(2000);
    expect(await waiting).toBe(false);
  });
});
