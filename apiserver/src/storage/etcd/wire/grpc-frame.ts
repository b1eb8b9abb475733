// gRPC's message framing over HTTP/2 DATA: each message is a 5-byte prefix (1 byte "compressed"
// flag, 4 bytes big-endian length) and the protobuf bytes. HTTP/2 cuts DATA wherever it likes,
// so one chunk can end in the middle of a prefix or a message, or hold several messages.
import { EtcdRpcError, GrpcStatus } from './grpc-status.js';

export const FRAME_PREFIX_BYTES = 5;

/**
 * Reassembles messages from DATA chunks. Chunks are kept as they arrive and joined only when a
 * message spans several of them, once the whole message is there: a multi-MiB watch batch
 * arriving in 16 KiB pieces is copied once, not once per piece. A message within one chunk is a
 * view into it, not a copy.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next complete message, or undefined until more data arrives. */
  next(): Buffer | undefined {
    if (this.buffered < FRAME_PREFIX_BYTES) return undefined;
    const prefix = this.peek(FRAME_PREFIX_BYTES);
    if (prefix[0] !== 0) {
      // We never offer compression (no grpc-accept-encoding), so etcd never compresses.
      throw new EtcdRpcError(GrpcStatus.INTERNAL, 'etcd sent a compressed gRPC message');
    }
    const length = prefix.readUInt32BE(1);
    if (this.buffered < FRAME_PREFIX_BYTES + length) return undefined;
    return this.take(FRAME_PREFIX_BYTES + length).subarray(FRAME_PREFIX_BYTES);
  }

  /** The first `n` buffered bytes, without consuming them (n ≤ buffered). */
  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first;
    // A prefix cut by a chunk boundary: join just enough leading chunks to hold it.
    let count = 0;
    for (let have = 0; have < n; count++) have += this.chunks[count]?.length ?? n;
    const joined = Buffer.concat(this.chunks.slice(0, count));
    this.chunks.splice(0, count, joined);
    return joined;
  }

  /** Remove and return the first `n` buffered bytes (n ≤ buffered). */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let consumed = 0; // whole chunks copied out, dropped in one splice (shift() per chunk is O(n²))
    while (filled < n) {
      const chunk = this.chunks[consumed];
      if (!chunk) throw new Error('FrameDecoder: buffered byte count out of step with chunks');
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) consumed++;
      else this.chunks[consumed] = chunk.subarray(used);
    }
    this.chunks.splice(0, consumed);
    return out;
  }
}
