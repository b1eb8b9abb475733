// The runtime's one way to wait for a file another process writes: conmon's exit file, the
// process supervisor's pid and exit files, a log file conmon reopens.
//
// inotify (node:fs `watch` on the directory) is the fast path: it wakes us within a millisecond
// of the file being created or renamed into place, where a 20 ms poll made every stop cost up to
// 20 ms more than the process took to exit. A slow poll on the injected clock runs beside it for
// what no file event announces (the writer died without writing). If the directory cannot be
// watched — it does not exist yet, or the host is out of inotify watches/instances (ENOSPC,
// EMFILE) — or the watch fails later, that poll is the documented fallback: waiting still works,
// only with the poll's latency.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { realClock, type Clock, type Timer } from '@skiff/api';
import { exists } from './exists.js';

export interface WatchForOptions {
  /** Give up after this long: `look` runs a last time and its answer is the result. */
  readonly timeoutMs: number;
  /**
   * Also look this often whatever the directory says: the safety net beside inotify, and the only
   * way when the directory cannot be watched.
   */
  readonly fallbackPollMs: number;
  readonly clock?: Clock;
}

/**
 * Resolves with the first value `look` returns that is not undefined. `look` runs at once, then
 * whenever one of `names` in `dir` is created, written or renamed, then every `fallbackPollMs`;
 * after `timeoutMs` it runs a last time and its answer (maybe undefined) is the result. Rejects
 * only with a failure of `look`.
 */
export function watchFor<T>(
  dir: string,
  names: string | readonly string[],
  look: () => Promise<T | undefined>,
  options: WatchForOptions,
): Promise<T | undefined> {
  const clock = options.clock ?? realClock;
  const wanted = new Set(typeof names === 'string' ? [names] : names);
  return new Promise((resolve, reject) => {
    let settled = false;
    let watcher: FSWatcher | undefined;
    let poll: Timer | undefined;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      deadline.cancel();
      poll?.cancel();
      settle();
    };
    const lookNow = (final: boolean): void => {
      if (settled) return;
      look().then(
        (value) => {
          if (value !== undefined || final) finish(() => resolve(value));
        },
        (err: unknown) => finish(() => reject(err)),
      );
    };
    const pollAgain = (): void => {
      poll = clock.setTimer(options.fallbackPollMs, () => {
        lookNow(false);
        if (!settled) pollAgain();
      });
    };
    const stopWatching = (): void => {
      watcher?.close();
      watcher = undefined;
    };
    const deadline = clock.setTimer(options.timeoutMs, () => lookNow(true));
    pollAgain();
    try {
      // Watching starts before the first look, so a file written in between is not missed.
      watcher = watch(dir, (_event, changed) => {
        // Linux always names the entry; without a name, any event may be ours.
        if (changed === null || wanted.has(changed)) lookNow(false);
      });
      // A watch that breaks later (the directory removed) leaves the poll to finish the wait.
      watcher.on('error', stopWatching);
    } catch (err) {
      // No watch at all (see the header): the poll alone carries on.
      if (!isWatchUnavailable(err)) {
        finish(() => reject(err));
        return;
      }
    }
    lookNow(false);
  });
}

/** Errors of `fs.watch` that mean "no inotify here", not a bug: the poll takes over. */
function isWatchUnavailable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return ['ENOENT', 'ENOTDIR', 'ENOSPC', 'EMFILE', 'ENFILE', 'EACCES', 'EPERM'].includes(code);
}

export interface WaitForFileOptions {
  readonly timeoutMs: number;
  /** Default 100 ms: with inotify it only matters when the watch could not be set up. */
  readonly fallbackPollMs?: number;
  readonly clock?: Clock;
}

/** Whether `path` exists within `timeoutMs` (true at once if it already does). */
export async function waitForFile(path: string, options: WaitForFileOptions): Promise<boolean> {
  const found = await watchFor(
    dirname(path),
    basename(path),
    async () => ((await exists(path)) ? true : undefined),
    { fallbackPollMs: DEFAULT_FALLBACK_POLL_MS, ...options },
  );
  return found === true;
}

export const DEFAULT_FALLBACK_POLL_MS = 100;
