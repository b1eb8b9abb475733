// The buffer between etcd's push (gRPC stream callbacks) and the consumer's pull (for await).
// Events queue up until read; a failure is raised only after every event received before it,
// so a consumer sees everything up to the point where the watch broke, then the error.
//
// The buffer is unbounded: etcd keeps sending while the consumer is slow. The consumer that
// matters (the apiserver's watch cache) drains it continuously, so memory stays bounded by
// the write rate times its processing lag.

interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: Error): void;
}

export class EventQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiters: Waiter<T>[] = [];
  private ended = false;
  private error: Error | undefined;

  get closed(): boolean {
    return this.ended;
  }

  push(item: T): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  /** Deliver what is buffered, then throw `error` from every later next(). */
  fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  /** Stop now: buffered events are dropped and iteration ends normally (cancellation). */
  end(): void {
    if (this.ended && this.error === undefined) return;
    this.ended = true;
    this.error = undefined;
    this.items = [];
    this.head = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}
