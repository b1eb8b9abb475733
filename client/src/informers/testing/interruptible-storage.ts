// Real storage whose watches a test can break and hold broken — what an etcd partition does to
// the apiserver's watch cache. While held, the test writes and compacts; on resume the cache's
// watch gets a real CompactedError from the real backend, the cache relists, and ends its own
// watchers with 410 Gone: exactly the path that makes an informer relist in production.
import {
  UnavailableError,
  type DeleteOptions,
  type GetOptions,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '@skiff/apiserver';

export class InterruptibleStorage implements Storage {
  private readonly open = new Set<HeldWatch>();
  private gate: { promise: Promise<void>; release: () => void } | undefined;

  constructor(private readonly inner: Storage) {}

  /** Breaks every open watch and holds new ones until resume(). */
  interrupt(): void {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.gate = { promise, release };
    for (const watch of [...this.open])
      watch.fail(new UnavailableError('the test broke the watch'));
  }

  resume(): void {
    this.gate?.release();
    this.gate = undefined;
  }

  watch(prefix: string, options?: WatchOptions): Watch {
    const watch = new HeldWatch(
      () => this.inner.watch(prefix, options),
      this.gate?.promise,
      () => this.open.delete(watch),
    );
    this.open.add(watch);
    return watch;
  }

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

/** A watch that opens the real one only once the gate (if any) opens, and can be broken. */
class HeldWatch implements Watch {
  private real: Watch | undefined;
  private failure: Error | undefined;
  private cancelled = false;
  private wake = (): void => undefined;
  private readonly woken = new Promise<'woken'>((resolve) => (this.wake = () => resolve('woken')));

  constructor(
    private readonly openReal: () => Watch,
    private readonly gate: Promise<void> | undefined,
    private readonly onEnd: () => void,
  ) {}

  fail(error: Error): void {
    this.failure = error;
    this.real?.cancel();
    this.wake();
  }

  cancel(): void {
    this.cancelled = true;
    this.real?.cancel();
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      if (this.gate) await Promise.race([this.gate, this.woken]);
      if (this.failure) throw this.failure;
      if (this.cancelled) return;
      this.real = this.openReal();
      const events = this.real[Symbol.asyncIterator]();
      for (;;) {
        const next = await Promise.race([events.next(), this.woken]);
        if (this.failure) throw this.failure;
        if (next === 'woken' || next.done) return;
        yield next.value;
      }
    } finally {
      this.real?.cancel();
      this.onEnd();
    }
  }
}
