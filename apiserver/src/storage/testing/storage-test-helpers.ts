// Small helpers for tests against a Storage: text values, expected failures, reading a watch.
import { StorageError } from '../errors.js';
import type { Watch, WatchEvent } from '../interface.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (value: Uint8Array): string => decoder.decode(value);

/** The StorageError a call fails with; fails the test if it succeeds or throws something else. */
export async function failureOf(call: () => Promise<unknown>): Promise<StorageError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw new Error(`expected a StorageError, got: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a StorageError, but the call succeeded');
}

/** A compact, comparable picture of an event: `put pods/a@12`. */
export function describeEvent(event: WatchEvent): string {
  return `${event.type} ${event.kv.key}@${event.kv.modRevision}`;
}

/**
 * Reads a watch step by step. Waiting is bounded so a missing event fails the test with a count
 * instead of hanging it; the bound is generous because it only matters when something is wrong.
 */
export class WatchReader {
  private readonly iterator: AsyncIterator<WatchEvent>;

  constructor(
    readonly watch: Watch,
    private readonly timeoutMs = 10_000,
  ) {
    this.iterator = watch[Symbol.asyncIterator]();
  }

  /** The next `count` events, in arrival order. */
  async take(count: number): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    while (events.length < count) {
      const result = await this.next(`${events.length} of ${count} events arrived`);
      if (result.done) throw new Error(`watch ended after ${events.length} of ${count} events`);
      events.push(result.value);
    }
    return events;
  }

  /** The error the watch ends with; fails if it delivers an event or ends normally instead. */
  async failure(): Promise<StorageError> {
    return failureOf(async () => {
      const result = await this.next('the watch did not fail');
      throw new Error(
        result.done
          ? 'watch ended without an error'
          : `unexpected event ${describeEvent(result.value)}`,
      );
    });
  }

  /** Whether iteration ends (done) rather than delivering an event or failing. */
  async ended(): Promise<boolean> {
    return (await this.next('the watch did not end')).done === true;
  }

  next(what: string): Promise<IteratorResult<WatchEvent>> {
    return withTimeout(this.iterator.next(), this.timeoutMs, what);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
