// A first-in first-out list of keys. Array.shift() moves every remaining element, which turns a
// long queue drained one key at a time into quadratic work; reading from a moving head index and
// compacting now and then keeps both ends O(1) amortised.
export class Fifo {
  private items: string[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(key: string): void {
    this.items.push(key);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head];
    this.head++;
    // Drop the consumed prefix once it is at least half the array, so memory stays bounded.
    if (this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }
}
