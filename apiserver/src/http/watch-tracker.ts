// Open watches, counted for the apiserver_registered_watchers metric and stopped together when
// the server closes (a watch is a response that never ends on its own).

export class WatchTracker {
  private readonly open = new Map<string, Set<() => void>>();
  private readonly listeners: ((resource: string, count: number) => void)[] = [];

  /** Registers a running watch; returns the function that unregisters it. */
  add(resource: string, stop: () => void): () => void {
    let set = this.open.get(resource);
    if (!set) {
      set = new Set();
      this.open.set(resource, set);
    }
    set.add(stop);
    this.notify(resource);
    return () => {
      if (set.delete(stop)) this.notify(resource);
    };
  }

  count(resource?: string): number {
    if (resource !== undefined) return this.open.get(resource)?.size ?? 0;
    let n = 0;
    for (const set of this.open.values()) n += set.size;
    return n;
  }

  onChange(listener: (resource: string, count: number) => void): void {
    this.listeners.push(listener);
  }

  stopAll(): void {
    for (const set of this.open.values()) for (const stop of [...set]) stop();
  }

  private notify(resource: string): void {
    const count = this.count(resource);
    for (const listener of this.listeners) listener(resource, count);
  }
}
