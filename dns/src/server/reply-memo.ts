// Encoded cluster answers, remembered by the query's bytes. Two queries that differ only in
// their ID get the same answer from the same cluster records, so the answer is encoded once and
// later copies only take the new ID: dns-packet's encoder is most of a query's cost. The memo
// is exact, not a cache with a TTL — it is emptied whenever the records change (their serial),
// and it never holds forwarded answers, whose TTLs count down.

export interface MemoizedReply {
  readonly reply: Buffer;
  readonly rcode: number;
  readonly type: string;
}

export class ReplyMemo {
  private readonly entries = new Map<string, MemoizedReply>();
  private serial = -1;

  constructor(private readonly capacity = 10_000) {}

  /** The key of a query: how it came, and every byte after its ID. */
  static key(message: Buffer, transport: string): string {
    return transport + message.toString('latin1', 2);
  }

  get(key: string, serial: number): MemoizedReply | undefined {
    if (serial !== this.serial) {
      this.entries.clear();
      this.serial = serial;
      return undefined;
    }
    return this.entries.get(key);
  }

  set(key: string, serial: number, entry: MemoizedReply): void {
    if (serial !== this.serial) return;
    // Full means the clients ask for ever new names: start over rather than track recency.
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, entry);
  }

  /** A copy of the remembered answer carrying `id`. */
  static withId(entry: MemoizedReply, id: number): Buffer {
    const reply = Buffer.from(entry.reply);
    reply.writeUInt16BE(id, 0);
    return reply;
  }
}
