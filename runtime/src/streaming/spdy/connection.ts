// A SPDY/3.1 session over an upgraded HTTP connection, as Kubernetes' streaming protocols use it:
// the client opens one stream per channel (SYN_STREAM with its headers), the other side accepts it
// with SYN_REPLY, and data flows both ways until each side sends FIN. Both roles are here (the
// runtime serves; tests dial), sharing the framing.
//
// What the peer gets wrong is answered as SPDY says and never throws out of here: a bad frame on a
// stream resets that stream (RST_STREAM PROTOCOL_ERROR), a broken session is closed with GOAWAY
// PROTOCOL_ERROR. Flow control windows are not enforced either way (Go's spdystream, which the
// kubelet and kubectl use, keeps none); WINDOW_UPDATE and SETTINGS are read and ignored.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  encodeFrame,
  FrameReader,
  GoAwayStatus,
  RstStatus,
  SpdyProtocolError,
  synStreamFrame,
  type SpdyFrame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.js';

/** Data frames are cut at this size: small enough to interleave streams, large enough to be cheap. */
const MAX_DATA_CHUNK = 32 * 1024;

export type SpdyRole = 'server' | 'client';

export class SpdyStream extends Duplex {
  private sentFin = false;
  /** Why the stream ended abnormally, if it did. */
  abortReason: string | undefined;
  private receivedFin = false;
  private replied: { resolve: () => void; reject: (err: Error) => void } | undefined;
  /** Resolves once the peer has replied to a stream this side opened (at once for the peer's). */
  readonly ready: Promise<void>;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    openedHere: boolean,
  ) {
    super({ allowHalfOpen: true });
    this.ready = openedHere
      ? new Promise<void>((resolve, reject) => (this.replied = { resolve, reject }))
      : Promise.resolve();
    // A stream nobody awaits must not turn a reset into an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** The first value of a header, or undefined. */
  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  /** Accepts a stream the peer opened. */
  reply(): void {
    this.session.sendReply(this.id);
  }

  /** Aborts the stream with RST_STREAM. */
  reset(status: number = RstStatus.Cancel): void {
    if (this.destroyed) return;
    this.session.sendReset(this.id, status);
    this.sentFin = true;
    this.receivedFin = true;
    this.destroy();
  }

  override _read(): void {
    // Data is pushed as frames arrive; there is no window to open.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error) => void): void {
    if (this.sentFin) {
      done(new Error(`SPDY stream ${this.id} is closed for writing`));
      return;
    }
    this.session.sendData(this.id, chunk, false).then(() => done(), done);
  }

  override _final(done: (err?: Error) => void): void {
    if (this.sentFin) {
      done();
      return;
    }
    this.sentFin = true;
    this.session.sendData(this.id, Buffer.alloc(0), true).then(
      () => {
        this.forgetIfClosed();
        done();
      },
      (err: Error) => done(err),
    );
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    if (!(this.sentFin && this.receivedFin) && !this.session.closed) {
      this.session.sendReset(this.id, RstStatus.Cancel);
    }
    this.sentFin = true;
    this.receivedFin = true;
    this.replied?.reject(err ?? new Error(`SPDY stream ${this.id} closed before it was accepted`));
    this.session.forget(this.id);
    done(err);
  }

  /** @internal the session delivers the peer's frames. */
  receive(data: Buffer, fin: boolean): void {
    if (this.receivedFin) {
      this.session.sendReset(this.id, RstStatus.StreamAlreadyClosed);
      return;
    }
    if (data.length > 0) this.push(data);
    if (fin) {
      this.receivedFin = true;
      this.push(null);
      this.forgetIfClosed();
    }
  }

  /** @internal */
  acceptedByPeer(): void {
    this.replied?.resolve();
  }

  /**
   * @internal the peer reset the stream, or the session ended under it. Readers see 'close'
   * without 'end'; no 'error' is emitted, since nobody may be listening for one and a peer's
   * reset must never become an uncaught exception in the runtime.
   */
  abort(reason: string): void {
    this.abortReason = reason;
    this.sentFin = true;
    this.receivedFin = true;
    this.destroy();
  }

  private forgetIfClosed(): void {
    if (this.sentFin && this.receivedFin) this.session.forget(this.id);
  }
}

export interface SpdySessionEvents {
  stream: [SpdyStream];
  close: [];
  /** A frame from the peer broke the protocol; the session answered it already. */
  protocolError: [SpdyProtocolError];
}

export class SpdySession extends EventEmitter<SpdySessionEvents> {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private outbound: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private nextPingId: number;
  private lastPeerStreamId = 0;
  private goneAway = false;
  private readonly pings = new Map<number, () => void>();
  closed = false;

  constructor(
    private readonly socket: Duplex,
    readonly role: SpdyRole,
  ) {
    super();
    // Clients use odd ids, servers even ones, for streams and pings alike.
    this.nextStreamId = role === 'client' ? 1 : 2;
    this.nextPingId = role === 'client' ? 1 : 2;
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('error', () => this.shutdown());
    socket.on('close', () => this.shutdown());
    socket.on('end', () => this.shutdown());
  }

  /** Opens a stream (SYN_STREAM); `ready` resolves on the peer's SYN_REPLY. */
  openStream(headers: SpdyHeaders): SpdyStream {
    if (this.closed || this.goneAway) throw new Error('the SPDY session is closed');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers, true);
    this.streams.set(id, stream);
    void this.enqueue(async () =>
      encodeFrame(synStreamFrame(id, await this.compressor.compress(headers))),
    );
    return stream;
  }

  /** Sends PING and resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    const echoed = new Promise<void>((resolve) => this.pings.set(id, resolve));
    void this.enqueue(() => encodeFrame({ kind: 'ping', id }));
    return echoed;
  }

  /** Ends the session: GOAWAY, then the socket, once everything queued has been written. */
  async close(status: number = GoAwayStatus.Ok): Promise<void> {
    if (this.closed) return;
    if (!this.goneAway) {
      this.goneAway = true;
      void this.enqueue(() =>
        encodeFrame({ kind: 'goAway', lastGoodStreamId: this.lastPeerStreamId, status }),
      );
    }
    await this.outbound;
    this.socket.end();
    this.shutdown();
  }

  /** Sends raw bytes as they are: tests use it to put malformed frames on the wire. */
  sendRaw(bytes: Buffer): Promise<void> {
    return this.enqueue(() => bytes);
  }

  /** @internal */
  sendReply(streamId: number): void {
    void this.enqueue(async () =>
      encodeFrame({
        kind: 'synReply',
        streamId,
        fin: false,
        headerBlock: await this.compressor.compress(new Map()),
      }),
    );
  }

  /** @internal */
  sendReset(streamId: number, status: number): void {
    if (this.closed) return;
    void this.enqueue(() => encodeFrame({ kind: 'rstStream', streamId, status }));
  }

  /** @internal resolves once the socket took the bytes (backpressure for the stream's writer). */
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the SPDY session is closed'));
    const frames: Buffer[] = [];
    for (let at = 0; at < data.length; at += MAX_DATA_CHUNK) {
      const piece = data.subarray(at, at + MAX_DATA_CHUNK);
      const last = at + MAX_DATA_CHUNK >= data.length;
      frames.push(encodeFrame({ kind: 'data', streamId, fin: fin && last, data: piece }));
    }
    if (data.length === 0) frames.push(encodeFrame({ kind: 'data', streamId, fin, data }));
    return this.enqueue(() => Buffer.concat(frames));
  }

  /** @internal */
  forget(streamId: number): void {
    this.streams.delete(streamId);
  }

  /** Frames leave in the order they were queued: header compression depends on it. */
  private enqueue(make: () => Buffer | Promise<Buffer>): Promise<void> {
    const sent = this.outbound.then(async () => {
      if (this.closed) return;
      const bytes = await make();
      await new Promise<void>((resolve, reject) => {
        this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
      });
    });
    // The queue goes on after a failed write; the failure belongs to the caller.
    this.outbound = sent.catch(() => undefined);
    return sent;
  }

  private onBytes(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.sessionError(err);
      return;
    }
    for (const frame of frames) {
      this.inbound = this.inbound
        .then(() => this.handle(frame))
        .catch((err: unknown) => this.frameError(err));
    }
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    switch (frame.kind) {
      case 'synStream': {
        // Decompress first, always: the zlib context must see every block to stay in step.
        const headers = await this.decompressor.decompress(frame.headerBlock);
        const peerParity = this.role === 'server' ? 1 : 0;
        if (frame.streamId === 0 || frame.streamId % 2 !== peerParity) {
          throw new SpdyProtocolError(
            `stream id ${frame.streamId} is not the peer's`,
            frame.streamId,
          );
        }
        if (frame.streamId <= this.lastPeerStreamId || this.streams.has(frame.streamId)) {
          throw new SpdyProtocolError(
            `stream id ${frame.streamId} was used before`,
            frame.streamId,
          );
        }
        this.lastPeerStreamId = frame.streamId;
        if (this.goneAway) {
          this.sendReset(frame.streamId, RstStatus.RefusedStream);
          return;
        }
        const stream = new SpdyStream(this, frame.streamId, headers, false);
        this.streams.set(frame.streamId, stream);
        if (frame.fin || frame.unidirectional) stream.receive(Buffer.alloc(0), true);
        this.emit('stream', stream);
        return;
      }
      case 'synReply': {
        await this.decompressor.decompress(frame.headerBlock);
        const stream = this.streams.get(frame.streamId);
        if (stream === undefined) return;
        stream.acceptedByPeer();
        if (frame.fin) stream.receive(Buffer.alloc(0), true);
        return;
      }
      case 'headers': {
        await this.decompressor.decompress(frame.headerBlock);
        if (frame.fin) this.streams.get(frame.streamId)?.receive(Buffer.alloc(0), true);
        return;
      }
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (stream === undefined) {
          this.sendReset(frame.streamId, RstStatus.InvalidStream);
          return;
        }
        stream.receive(frame.data, frame.fin);
        return;
      }
      case 'rstStream':
        this.streams
          .get(frame.streamId)
          ?.abort(`the peer reset stream ${frame.streamId} (status ${frame.status})`);
        return;
      case 'ping': {
        const ours = frame.id % 2 === (this.role === 'client' ? 1 : 0);
        if (ours) {
          this.pings.get(frame.id)?.();
          this.pings.delete(frame.id);
        } else {
          void this.enqueue(() => encodeFrame({ kind: 'ping', id: frame.id }));
        }
        return;
      }
      case 'goAway':
        this.goneAway = true;
        return;
      case 'settings':
      case 'windowUpdate':
      case 'unknown':
        return;
    }
  }

  private frameError(err: unknown): void {
    if (err instanceof SpdyProtocolError && err.streamId !== 0) {
      this.emit('protocolError', err);
      this.streams.get(err.streamId)?.abort(err.message);
      this.sendReset(err.streamId, RstStatus.ProtocolError);
      return;
    }
    this.sessionError(err);
  }

  private sessionError(err: unknown): void {
    const error =
      err instanceof SpdyProtocolError
        ? err
        : new SpdyProtocolError(err instanceof Error ? err.message : String(err));
    this.emit('protocolError', error);
    void this.close(GoAwayStatus.ProtocolError);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of [...this.streams.values()]) stream.abort('the SPDY session ended');
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.socket.destroy();
    this.emit('close');
  }
}
