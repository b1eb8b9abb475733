// Kubernetes' channel protocol over one WebSocket (apiserver's wsstream): every message starts
// with its channel number (a byte; an ASCII digit in the base64 variants, whose payload is base64
// text), so stdin, stdout, stderr, error and resize — or a port's data and error — share a socket.
// v5.channel.k8s.io adds a close signal: a message on channel 255 whose one byte names a channel
// the client is done writing to (stdin's EOF, which v4 cannot express).
//
// Frames for a channel that does not exist, or that the client may not write, and undecodable
// base64 are dropped, as wsstream drops them: a confused client cannot hurt the session.
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';

/** The v5 close-signal channel (Kubernetes' remotecommand.StreamClose). */
export const CLOSE_CHANNEL = 255;

export interface ChannelOptions {
  /** Text frames: '0'+channel, then base64 (the *.base64.channel.k8s.io protocols). */
  readonly base64: boolean;
  /** Whether the v5 close signal is understood. */
  readonly closeSignal: boolean;
  /** Channels the client writes to (stdin, resize; a port's data). */
  readonly readable: readonly number[];
}

export class ChannelConnection {
  private readonly readers = new Map<number, PassThrough>();
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: ChannelOptions,
  ) {
    for (const channel of options.readable) this.readers.set(channel, new PassThrough());
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) =>
      this.onMessage(toBuffer(data), isBinary),
    );
    this.closed = new Promise((resolve) => {
      ws.once('close', () => {
        for (const reader of this.readers.values()) reader.end();
        resolve();
      });
    });
    ws.on('error', () => ws.terminate());
  }

  /** What the client sends on `channel` (ends when it closes the channel or the socket). */
  reader(channel: number): Readable {
    const reader = this.readers.get(channel);
    if (reader === undefined) throw new Error(`channel ${channel} is not readable`);
    return reader;
  }

  /** A stream whose writes go to the client on `channel`. */
  writer(channel: number): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.send(channel, chunk).then(() => done(), done);
      },
    });
  }

  send(channel: number, data: Buffer): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) {
      return Promise.reject(new Error('the WebSocket is closed'));
    }
    const frame = this.options.base64
      ? String.fromCharCode(48 + channel) + data.toString('base64')
      : Buffer.concat([Buffer.from([channel]), data]);
    return new Promise((resolve, reject) => {
      this.ws.send(frame, { binary: !this.options.base64 }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }

  /** Closes the socket normally once what was sent has gone out. */
  close(): Promise<void> {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    return this.closed;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (data.length === 0) return;
    let channel = data[0] ?? 0;
    let payload = data.subarray(1);
    if (this.options.base64) {
      if (isBinary) return;
      channel -= 48;
      const text = payload.toString('latin1');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return;
      payload = Buffer.from(text, 'base64');
    }
    if (this.options.closeSignal && channel === CLOSE_CHANNEL) {
      const target = payload[0];
      if (payload.length === 1 && target !== undefined) this.readers.get(target)?.end();
      return;
    }
    const reader = this.readers.get(channel);
    if (reader === undefined || reader.writableEnded) return;
    reader.write(payload);
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
