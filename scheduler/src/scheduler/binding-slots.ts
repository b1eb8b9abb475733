// A bound on bindings in flight. The scheduling cycle runs far ahead of the apiserver (each pod
// is assumed at once); without a bound, thousands of binding POSTs would open thousands of
// connections and the apiserver would spend its time on sockets instead of bindings.
// Kubernetes bounds the same thing with its client's QPS; here it is a count, so a fast
// apiserver is never held back by a rate guess.
export class BindingSlots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1))
      throw new RangeError(`binding slots: limit must be at least 1 (got ${limit})`);
  }

  async acquire(): Promise<void> {
    if (this.inUse < this.limit) {
      this.inUse++;
      return;
    }
    // The slot is handed over by release(), so inUse stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inUse--;
  }
}
