// Waiting for a file another process writes (conmon's exit file) without polling on a timer.
// Polling every 25 ms made every stop cost ~25 ms more than the process took to exit; an inotify
// watch on the directory wakes us within a millisecond of conmon renaming the file into place.
import { watch, type FSWatcher } from 'node:fs';

export interface WatchForOptions {
  /** Give up (resolve undefined) after this long. */
  readonly timeoutMs: number;
  /**
   * Also look this often whatever the directory says. The watch is the fast path; this covers
   * what no file event announces (the writer died without writing), so it can be slow.
   */
  readonly fallbackPollMs: number;
}

/**
 * Resolves with the first value `look` returns that is not undefined. `look` runs at once, then
 * whenever `name` in `dir` is created, written or renamed, then every `fallbackPollMs`; after
 * `timeoutMs` it runs a last time and its answer (maybe undefined) is the result.
 */
export function watchFor<T>(
  dir: string,
  name: string,
  look: () => Promise<T | undefined>,
  options: WatchForOptions,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let watcher: FSWatcher | undefined;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearTimeout(deadline);
      clearInterval(poll);
      settle();
    };
    const lookNow = (final: boolean): void => {
      look().then(
        (value) => {
          if (value !== undefined || final) finish(() => resolve(value));
        },
        (err: unknown) => finish(() => reject(err as Error)),
      );
    };
    const deadline = setTimeout(() => lookNow(true), options.timeoutMs);
    const poll = setInterval(() => lookNow(false), options.fallbackPollMs);
    try {
      // Watching starts before the first look, so a file written in between is not missed.
      watcher = watch(dir, (_event, changed) => {
        if (changed === name) lookNow(false);
      });
      watcher.on('error', (err) =>
        finish(() => reject(new Error(`watching ${dir}: ${err.message}`, { cause: err }))),
      );
    } catch (err) {
      finish(() => reject(new Error(`watching ${dir}: ${(err as Error).message}`, { cause: err })));
      return;
    }
    lookNow(false);
  });
}
