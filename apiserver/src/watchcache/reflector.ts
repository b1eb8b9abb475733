// Keeps the cache in step with storage, with exactly one storage watch at a time: list the
// prefix (page by page, every page at the first page's revision), then watch from that revision.
// When the watch breaks it first tries to *resume* from the last revision the cache applied, which
// loses nothing and disturbs no client. Only when storage no longer has that history (compaction)
// does it list again; the cache then tells its watchers that events may have been missed.
import type { Clock } from '@skiff/api';
import { isStorageError } from '../storage/errors.js';
import type { KeyValue, Storage, WatchEvent } from '../storage/interface.js';

/** Where the reflector delivers what it reads (the WatchCache). */
export interface ReflectorSink {
  /** A list is about to start: the cached state is about to be replaced. */
  listing(): void;
  /** The complete state under the prefix at `revision`. */
  replace(items: readonly KeyValue[], revision: number): void;
  /** One event, in revision order. */
  apply(event: WatchEvent): void;
  /** The revision the cache has applied everything up to: where a watch resumes. */
  revision(): number;
}

export interface ReflectorOptions {
  readonly storage: Storage;
  readonly prefix: string;
  readonly clock: Clock;
  readonly pageSize: number;
  readonly warn: (message: string) => void;
}

/** Retry delays: the first retry is immediate (a broken watch usually resumes at once). */
const BACKOFF = { initialMs: 200, maxMs: 10_000 };

type Step = 'list' | 'watch' | 'apply';

/** Runs until `signal` aborts; never rejects (failures are retried and reported via `warn`). */
export async function runReflector(
  options: ReflectorOptions,
  sink: ReflectorSink,
  signal: AbortSignal,
): Promise<void> {
  let mustList = true;
  let failures = 0;
  while (!signal.aborted) {
    let step: Step = mustList ? 'list' : 'watch';
    try {
      if (mustList) {
        sink.listing();
        const { items, revision } = await listAll(options);
        if (signal.aborted) return;
        step = 'apply';
        sink.replace(items, revision);
        mustList = false;
        failures = 0;
      }
      step = 'watch';
      const watch = options.storage.watch(options.prefix, { afterRevision: sink.revision() });
      const cancel = (): void => watch.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        for await (const event of watch) {
          step = 'apply';
          sink.apply(event);
          step = 'watch';
          failures = 0;
        }
      } finally {
        signal.removeEventListener('abort', cancel);
        watch.cancel();
      }
      if (signal.aborted) return;
      // Storage ends a watch without an error only when it is cancelled, which we did not do.
      options.warn(`watch cache ${options.prefix}: storage watch ended unexpectedly; resuming`);
    } catch (err) {
      if (signal.aborted) return;
      if (isStorageError(err, 'Compacted')) {
        // The history we would resume from is gone; waiting will not bring it back.
        options.warn(
          `watch cache ${options.prefix}: ${step === 'list' ? 'list' : 'watch'} hit a ` +
            `compacted revision, relisting: ${describe(err)}`,
        );
        mustList = true;
        continue;
      }
      // An event (or list item) the cache cannot take (undecodable value, a storage contract
      // breach) would fail again on resume; a fresh list is the only way past it.
      if (step === 'apply') mustList = true;
      failures++;
      const delayMs =
        failures === 1 ? 0 : Math.min(BACKOFF.initialMs * 2 ** (failures - 2), BACKOFF.maxMs);
      options.warn(
        `watch cache ${options.prefix}: ${step} failed (attempt ${failures}), ` +
          `${mustList ? 'relisting' : 'resuming the watch'} in ${delayMs} ms: ${describe(err)}`,
      );
      if (delayMs > 0 && !(await pause(options.clock, delayMs, signal))) return;
    }
  }
}

/** Every key under the prefix, at one revision. */
async function listAll({
  storage,
  prefix,
  pageSize,
}: ReflectorOptions): Promise<{ items: KeyValue[]; revision: number }> {
  const items: KeyValue[] = [];
  let revision: number | undefined;
  let startAfter: string | undefined;
  for (;;) {
    const page = await storage.list(prefix, { limit: pageSize, startAfter, revision });
    revision ??= page.revision;
    items.push(...page.items);
    const last = page.items[page.items.length - 1];
    if (!page.more || !last) return { items, revision };
    startAfter = last.key;
  }
}

/** Sleeps; false if the signal aborted the sleep. */
async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch (err) {
    if (signal.aborted) return false;
    throw err;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
