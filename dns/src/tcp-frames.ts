// DNS over TCP frames each message with its length in two bytes (RFC 1035 §4.2.2). One reader
// per connection collects chunks and hands back whole messages, however the stream split them.

export function frame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** The whole messages `chunk` completes, in order; a partial one waits for more. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.buffered.length >= 2) {
      const size = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + size) break;
      messages.push(this.buffered.subarray(2, 2 + size));
      this.buffered = this.buffered.subarray(2 + size);
    }
    return messages;
  }
}
