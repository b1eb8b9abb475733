// A client for the CRI streaming protocols, speaking them on the wire as kubectl and the kubelet
// do: HTTP upgrade to SPDY/3.1 with one stream per channel, or a WebSocket with numbered channels.
// Tests point it at containerd's streaming server and at skiff's alike.
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { WebSocket } from 'ws';
import { SpdySession, type SpdyStream } from '../spdy/connection.js';
import type { StreamStatus } from '../status.js';

export interface UpgradeAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The SPDY session when the server switched protocols (status 101). */
  readonly session?: SpdySession;
}

/** For an https URL: the certificates to trust (the server's name is always checked). */
export interface ClientTls {
  readonly ca?: string;
}

/** POSTs an upgrade to SPDY/3.1 offering `protocols`; the answer, with a session on 101. */
export function dialSpdy(
  url: string,
  protocols: readonly string[],
  tls: ClientTls = {},
): Promise<UpgradeAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket =
      target.protocol === 'https:'
        ? connectTls({
            port: Number(target.port),
            host: target.hostname,
            ...(tls.ca !== undefined && { ca: tls.ca }),
          })
        : connect(Number(target.port), target.hostname);
    const connectEvent = target.protocol === 'https:' ? 'secureConnect' : 'connect';
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = received
        .subarray(0, end)
        .toString('latin1')
        .split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1]);
      const rest = received.subarray(end + 4);
      if (status === 101) {
        socket.off('data', onData);
        const session = new SpdySession(socket, 'client');
        if (rest.length > 0) socket.unshift(rest);
        resolve({ status, headers, body: '', session });
        return;
      }
      socket.off('data', onData);
      // A refusal may keep the connection alive: the body ends at Content-Length (or the close).
      const length = Number(headers['content-length'] ?? Number.NaN);
      let body = rest;
      const finish = (): void => {
        socket.destroy();
        resolve({ status, headers, body: body.toString('utf8') });
      };
      if (body.length >= length) {
        finish();
        return;
      }
      socket.on('data', (more: Buffer) => {
        body = Buffer.concat([body, more]);
        if (body.length >= length) finish();
      });
      socket.once('close', finish);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once(connectEvent, () => {
      socket.write(
        [
          `POST ${target.pathname}${target.search} HTTP/1.1`,
          `Host: ${target.host}`,
          'Connection: Upgrade',
          'Upgrade: SPDY/3.1',
          ...protocols.map((p) => `X-Stream-Protocol-Version: ${p}`),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    });
  });
}

/** Everything a stream carries until its end. */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('close', () => resolve(Buffer.concat(chunks)));
    stream.once('error', () => resolve(Buffer.concat(chunks)));
  });
}

export interface CommandOptions {
  readonly stdin?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
  readonly tty?: boolean;
}

export interface SpdyCommand {
  readonly session: SpdySession;
  readonly stdin: SpdyStream | undefined;
  readonly stdout: Promise<Buffer>;
  readonly stderr: Promise<Buffer>;
  /** The stdout stream itself, for tests that read as it comes. */
  readonly stdoutStream: SpdyStream | undefined;
  readonly resize: SpdyStream | undefined;
  /** The error stream's content once it ends: the status JSON (v4), or '' on success before. */
  readonly error: Promise<string>;
}

/** Opens the streams of an exec or attach session as client-go does: error first. */
export async function openSpdyCommand(
  session: SpdySession,
  options: CommandOptions,
): Promise<SpdyCommand> {
  const open = (type: string): SpdyStream => session.openStream(new Map([['streamtype', [type]]]));
  const error = open('error');
  const stdin = options.stdin === true ? open('stdin') : undefined;
  const stdout = options.stdout === true ? open('stdout') : undefined;
  const stderr = options.stderr === true ? open('stderr') : undefined;
  const resize = options.tty === true ? open('resize') : undefined;
  const opened = [error, stdin, stdout, stderr, resize].filter(
    (s): s is SpdyStream => s !== undefined,
  );
  // Streams we only read are half-closed from our side, as client-go does.
  error.end();
  stdout?.end();
  stderr?.end();
  await Promise.all(opened.map((s) => s.ready));
  return {
    session,
    stdin,
    stdout: stdout === undefined ? Promise.resolve(Buffer.alloc(0)) : readAll(stdout),
    stderr: stderr === undefined ? Promise.resolve(Buffer.alloc(0)) : readAll(stderr),
    stdoutStream: stdout,
    resize,
    error: readAll(error).then((b) => b.toString('utf8')),
  };
}

export function parseStatus(text: string): StreamStatus {
  return JSON.parse(text) as StreamStatus;
}

/** A WebSocket session on Kubernetes' channel protocol. */
export interface ChannelSession {
  readonly protocol: string;
  /** Bytes received per channel so far (the port prefix of port-forward included). */
  readonly received: Map<number, Buffer>;
  send(channel: number, data: Buffer | string): void;
  /** Resolves when the server closes the socket. */
  readonly closed: Promise<void>;
  close(): void;
}

export function dialChannels(
  url: string,
  protocols: readonly string[],
  tls: ClientTls = {},
): Promise<ChannelSession> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), [...protocols], {
    ...(tls.ca !== undefined && { ca: tls.ca }),
  });
  const received = new Map<number, Buffer>();
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length === 0) return;
    const channel = data[0] ?? 0;
    received.set(
      channel,
      Buffer.concat([received.get(channel) ?? Buffer.alloc(0), data.subarray(1)]),
    );
  });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        protocol: ws.protocol,
        received,
        send: (channel, data) =>
          ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)])),
        closed,
        close: () => ws.close(),
      }),
    );
  });
}
