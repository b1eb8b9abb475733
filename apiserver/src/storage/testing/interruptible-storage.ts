// A fault injector for tests: real storage whose watches a test can break and hold broken, the
// way an etcd partition or an apiserver stall would. While held, the test writes and compacts; on
// resume the watcher gets a real CompactedError from the real backend. The watch cache's suite
// uses it to make the cache miss history for real; the informer tests (through
// `@skiff/apiserver/testing`) to make the cache end its watchers with 410 Gone, exactly the path
// that makes an informer relist in production.
import { UnavailableError } from '../errors.js';
import type {
  DeleteOptions,
  GetOptions,
  KeyValue,
  ListOptions,
  ListResult,
  Storage,
  Watch,
  WatchEvent,
  WatchOptions,
} from '../interface.js';

export class InterruptibleStorage implements Storage {
  private readonly open = new Set<HeldWatch>();
  private gate: { promise: Promise<void>; release: () => void } | undefined;

  constructor(private readonly inner: Storage) {}

  /** Breaks every open watch (UnavailableError) and holds new ones until `resume()`. */
  interrupt(): void {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.gate = { promise, release };
    for (const w of [...this.open]) w.fail(new UnavailableError('test interrupted the watch'));
  }

  resume(): void {
    this.gate?.release();
    this.gate = undefined;
  }

  watch(prefix: string, options?: WatchOptions): Watch {
    const held = new HeldWatch(this.inner, prefix, options, this.gate?.promise, (w) =>
      this.open.delete(w),
    );
    this.open.add(held);
    return held;
  }

  // Everything else is the real backend's.
  get(key: string, options?: GetOptions): Promise<KeyValue | undefined> {
    return this.inner.get(key, options);
  }
  list(prefix: string, options?: ListOptions): Promise<ListResult> {
    return this.inner.list(prefix, options);
  }
  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.inner.create(key, value);
  }
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    return this.inner.update(key, value, expectedModRevision);
  }
  delete(key: string, options?: DeleteOptions): Promise<KeyValue> {
    return this.inner.delete(key, options);
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }
  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }
  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A watch that opens the real one only once the gate (if any) is released. */
class HeldWatch implements Watch {
  private real: Watch | undefined;
  private failure: Error | undefined;
  private cancelled = false;
  private wake: () => void = () => undefined;
  /** Settles when the test breaks the watch or the consumer cancels it. */
  private readonly woken = new Promise<'woken'>((resolve) => {
    this.wake = () => resolve('woken');
  });

  constructor(
    private readonly inner: Storage,
    private readonly prefix: string,
    private readonly options: WatchOptions | undefined,
    private readonly gate: Promise<void> | undefined,
    private readonly onEnd: (w: HeldWatch) => void,
  ) {}

  fail(error: Error): void {
    this.failure = error;
    this.real?.cancel();
    this.wake();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  cancel(): void {
    this.cancelled = true;
    this.real?.cancel();
    this.wake();
    this.onEnd(this);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      if (this.gate) await Promise.race([this.gate, this.woken]);
      this.throwIfFailed();
      if (this.cancelled) return;
      this.real = this.inner.watch(this.prefix, this.options);
      const iterator = this.real[Symbol.asyncIterator]();
      for (;;) {
        const next = await Promise.race([iterator.next(), this.woken]);
        // Failed while this watch waited (narrowing cannot see that, hence the method).
        this.throwIfFailed();
        if (next === 'woken' || next.done) return;
        yield next.value;
      }
    } finally {
      this.real?.cancel();
      this.onEnd(this);
    }
  }
}
