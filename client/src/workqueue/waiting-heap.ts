// The keys a delaying queue is holding back, as a binary min-heap on the time each becomes
// ready, plus an index by key so a key waits only once: scheduling a waiting key again keeps
// the earlier of its two times (a change that is due sooner must not be postponed).

interface WaitingEntry {
  readonly key: string;
  readyAt: number;
  /** Insertion order, so keys due at the same instant come out in the order they were added. */
  readonly seq: number;
  /** Position in the heap array, kept current so an entry can be moved up in O(log n). */
  index: number;
}

export class WaitingHeap {
  private readonly heap: WaitingEntry[] = [];
  private readonly byKey = new Map<string, WaitingEntry>();
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Holds `key` until `readyAt`; a key already held keeps the earlier of the two times. */
  schedule(key: string, readyAt: number): void {
    const existing = this.byKey.get(key);
    if (existing) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.siftUp(existing.index);
      }
      return;
    }
    const entry: WaitingEntry = { key, readyAt, seq: this.nextSeq++, index: this.heap.length };
    this.heap.push(entry);
    this.byKey.set(key, entry);
    this.siftUp(entry.index);
  }

  /** When the first key becomes ready, or undefined when nothing waits. */
  earliestReadyAt(): number | undefined {
    return this.heap[0]?.readyAt;
  }

  /** Removes and returns, earliest first, every key ready at `now`. */
  takeReady(now: number): string[] {
    const ready: string[] = [];
    for (let top = this.heap[0]; top !== undefined && top.readyAt <= now; top = this.heap[0]) {
      this.removeTop();
      ready.push(top.key);
    }
    return ready;
  }

  clear(): void {
    this.heap.length = 0;
    this.byKey.clear();
  }

  private removeTop(): void {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return;
    this.byKey.delete(top.key);
    if (last === top) return;
    this.place(last, 0);
    this.siftDown(0);
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let first = parent;
      if (left < this.heap.length && this.before(left, first)) first = left;
      if (right < this.heap.length && this.before(right, first)) first = right;
      if (first === parent) return;
      this.swap(parent, first);
      parent = first;
    }
  }

  private before(i: number, j: number): boolean {
    const a = this.entryAt(i);
    const b = this.entryAt(j);
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.entryAt(i);
    const b = this.entryAt(j);
    this.place(a, j);
    this.place(b, i);
  }

  private place(entry: WaitingEntry, index: number): void {
    this.heap[index] = entry;
    entry.index = index;
  }

  private entryAt(index: number): WaitingEntry {
    const entry = this.heap[index];
    if (entry === undefined) throw new Error(`waiting heap: no entry at index ${index}`);
    return entry;
  }
}
