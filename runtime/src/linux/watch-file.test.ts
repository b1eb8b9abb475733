import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchFor } from './watch-file.js';

describe('watchFor', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-watch-file-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
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

  it('resolves when the file is renamed into place, long before the fallback poll', async () => {
    const waiting = watchFor(dir, 'exit', contentOf('exit'), {
      timeoutMs: 60_000,
      fallbackPollMs: 60_000,
    });
    // The way conmon writes it: a temporary file renamed over the final name.
    await writeFile(join(dir, '.exit.tmp'), '0');
    await rename(join(dir, '.exit.tmp'), join(dir, 'exit'));
    expect(await waiting).toBe('0');
  });

  it('resolves at once when the file is already there', async () => {
    await writeFile(join(dir, 'exit'), '3');
    expect(
      await watchFor(dir, 'exit', contentOf('exit'), { timeoutMs: 1, fallbackPollMs: 1 }),
    ).toBe('3');
  });

  it('finds by its fallback poll what no file event announces', async () => {
    vi.useFakeTimers();
    let gone = false;
    const waiting = watchFor(dir, 'exit', async () => (gone ? 'monitor gone' : undefined), {
      timeoutMs: 60_000,
      fallbackPollMs: 100,
    });
    gone = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(await waiting).toBe('monitor gone');
  });

  it('resolves undefined when nothing turns up before the timeout', async () => {
    vi.useFakeTimers();
    const waiting = watchFor(dir, 'exit', contentOf('exit'), {
      timeoutMs: 500,
      fallbackPollMs: 100,
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(await waiting).toBeUndefined();
  });

  it('rejects with the failure of a look', async () => {
    const failing = (): Promise<undefined> => Promise.reject(new Error('unreadable'));
    await expect(
      watchFor(dir, 'exit', failing, { timeoutMs: 60_000, fallbackPollMs: 60_000 }),
    ).rejects.toThrow('unreadable');
  });

  it('rejects when the directory cannot be watched', async () => {
    await expect(
      watchFor(join(dir, 'missing'), 'exit', contentOf('exit'), {
        timeoutMs: 60_000,
        fallbackPollMs: 60_000,
      }),
    ).rejects.toThrow(/watching .*missing/);
  });
});
