// Keeps the cache in step with storage, as client-go's reflector keeps an informer's store:
//
//   list (page by page, every page at the first page's revision) → sink.replace(items, R)
//   watch from the cache's revision → sink.apply(event) per event, in revision order
//
// What holds throughout:
//
// - exactly one storage watch at a time, cancelled before the next step starts;
// - when the watch breaks it first *resumes* from the last revision the cache applied, which
//   loses nothing and disturbs no client. Only when storage no longer has that history
//   (compaction) does it list again, at once; the cache then tells its watchers that events may
//   have been missed;
// - an event (or list item) the cache cannot take is never retried by resuming — the same event
//   would come back — only by a fresh list;
// - other failures wait out a backoff on the injected Clock (the first retry is immediate: a
//   broken watch usually resumes at once), and any progress starts the backoff over;
// - it stops when the signal aborts and never rejects: failures are retried and reported.
import { Backoff, errorMessage, sleepUnlessAborted, type Clock } from '@skiff/api';
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

/** The delays after the first (immediate) retry: 200 ms doubling to 10 s. */
const BACKOFF = { durationMs: 200, capMs: 10_000 };

/** What the reflector was doing: reading storage (list, watch) or feeding the cache (apply). */
type Step = 'list' | 'watch' | 'apply';

/** How one list or watch ended, which decides the next. */
type Outcome =
  /** The cache holds a complete list: watch from its revision. */
  | { readonly kind: 'listed' }
  /** Storage ended the watch without an error, which only a cancel should do: resume. */
  | { readonly kind: 'ended' }
  /** The revision to read at is compacted away: waiting will not bring it back, relist now. */
  | { readonly kind: 'compacted'; readonly during: 'list' | 'watch'; readonly error: unknown }
  /** Anything else: back off, then resume the watch, or relist when resuming cannot help. */
  | { readonly kind: 'failed'; readonly step: Step; readonly error: unknown }
  /** The signal aborted. */
  | { readonly kind: 'stopped' };

/** Runs until `signal` aborts; never rejects (failures are retried and reported via `warn`). */
export function runReflector(
  options: ReflectorOptions,
  sink: ReflectorSink,
  signal: AbortSignal,
): Promise<void> {
  return new CacheReflector(options, sink).run(signal);
}

class CacheReflector {
  private readonly backoff = new Backoff(BACKOFF);
  /** Consecutive failures without progress; the first is retried at once. */
  private failures = 0;

  constructor(
    private readonly options: ReflectorOptions,
    private readonly sink: ReflectorSink,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    let next: 'list' | 'watch' = 'list';
    while (!signal.aborted) {
      const outcome = next === 'list' ? await this.list(signal) : await this.watch(signal);
      if (outcome.kind === 'stopped' || signal.aborted) return;
      const after = await this.after(outcome, next, signal);
      if (after === 'stop') return;
      next = after;
    }
  }

  /** Lists everything under the prefix and hands it to the cache as the complete state. */
  private async list(signal: AbortSignal): Promise<Outcome> {
    let step: Step = 'list';
    try {
      this.sink.listing();
      const { items, revision } = await listAll(this.options);
      if (signal.aborted) return { kind: 'stopped' };
      step = 'apply';
      this.sink.replace(items, revision);
      this.progressed();
      return { kind: 'listed' };
    } catch (error) {
      return this.failure(step, error, signal);
    }
  }

  /** Watches from the cache's revision and applies every event until the watch ends. */
  private async watch(signal: AbortSignal): Promise<Outcome> {
    let step: Step = 'watch';
    const { storage, prefix } = this.options;
    try {
      const watch = storage.watch(prefix, { afterRevision: this.sink.revision() });
      const cancel = (): void => watch.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        for await (const event of watch) {
          step = 'apply';
          this.sink.apply(event);
          step = 'watch';
          this.progressed();
        }
      } finally {
        signal.removeEventListener('abort', cancel);
        watch.cancel();
      }
      return signal.aborted ? { kind: 'stopped' } : { kind: 'ended' };
    } catch (error) {
      return this.failure(step, error, signal);
    }
  }

  private failure(step: Step, error: unknown, signal: AbortSignal): Outcome {
    if (signal.aborted) return { kind: 'stopped' };
    if (isStorageError(error, 'Compacted')) {
      return { kind: 'compacted', during: step === 'list' ? 'list' : 'watch', error };
    }
    return { kind: 'failed', step, error };
  }

  /** Reports an outcome and decides the next step, after backing off if it calls for that. */
  private async after(
    outcome: Exclude<Outcome, { kind: 'stopped' }>,
    current: 'list' | 'watch',
    signal: AbortSignal,
  ): Promise<'list' | 'watch' | 'stop'> {
    const { prefix, warn, clock } = this.options;
    switch (outcome.kind) {
      case 'listed':
        return 'watch';
      case 'ended':
        warn(`watch cache ${prefix}: storage watch ended unexpectedly; resuming`);
        return 'watch';
      case 'compacted':
        warn(
          `watch cache ${prefix}: ${outcome.during} hit a compacted revision, relisting: ` +
            errorMessage(outcome.error),
        );
        return 'list';
      case 'failed': {
        // A failed list is retried by listing; an event the cache could not take would fail
        // again on resume, so it is retried by listing too.
        const next = current === 'list' || outcome.step === 'apply' ? 'list' : 'watch';
        this.failures++;
        const delayMs = this.failures === 1 ? 0 : this.backoff.step();
        warn(
          `watch cache ${prefix}: ${outcome.step} failed (attempt ${this.failures}), ` +
            `${next === 'list' ? 'relisting' : 'resuming the watch'} in ${delayMs} ms: ` +
            errorMessage(outcome.error),
        );
        if (delayMs > 0 && !(await sleepUnlessAborted(clock, delayMs, signal))) return 'stop';
        return next;
      }
    }
  }

  /** A list or an event went through: the next failure is retried at once again. */
  private progressed(): void {
    this.failures = 0;
    this.backoff.reset();
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
