// The streams of one exec or attach session, whichever transport carried them: SPDY (one SPDY
// stream per channel, named by its streamType header) or WebSocket (numbered channels). The
// session code reads stdin and the resize channel, writes stdout and stderr, and ends with a
// status on the error channel.
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '@skiff/api';
import type { SpdySession, SpdyStream } from '../spdy/connection.js';
import type { ChannelConnection } from '../websocket/channel-connection.js';
import { encodeStatus, type StreamStatus } from '../status.js';

/** What the CRI request asked for (the streams the client must open). */
export interface StreamOptions {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

export interface CommandStreams {
  readonly stdin: Readable | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly resize: Readable | undefined;
  /** Writes the session's outcome to the error channel. */
  writeStatus(status: StreamStatus): Promise<void>;
  /** Ends every stream and the connection. */
  close(): Promise<void>;
}

/** Kubernetes' protocol names (remotecommand consts). */
export const PROTOCOL_V1 = 'channel.k8s.io';
export const PROTOCOL_V2 = 'v2.channel.k8s.io';
export const PROTOCOL_V3 = 'v3.channel.k8s.io';
export const PROTOCOL_V4 = 'v4.channel.k8s.io';
export const PROTOCOL_V5 = 'v5.channel.k8s.io';
export const PROTOCOL_BASE64_V1 = 'base64.channel.k8s.io';
export const PROTOCOL_BASE64_V4 = 'v4.base64.channel.k8s.io';

/** What this server speaks over SPDY, best first (v5 only adds the WebSocket close signal). */
export const SPDY_COMMAND_PROTOCOLS = [PROTOCOL_V4, PROTOCOL_V3, PROTOCOL_V2, PROTOCOL_V1];
/** ... and over WebSocket. */
export const WEBSOCKET_COMMAND_PROTOCOLS = [
  PROTOCOL_V5,
  PROTOCOL_V4,
  PROTOCOL_BASE64_V4,
  PROTOCOL_V1,
  PROTOCOL_BASE64_V1,
];

/** v4 and later report a metav1.Status as JSON; older protocols the error's text. */
function jsonStatus(protocol: string): boolean {
  return protocol.startsWith('v4.') || protocol.startsWith('v5.');
}

/** Resize arrived with v3. */
function hasResize(protocol: string): boolean {
  return protocol !== PROTOCOL_V1 && protocol !== PROTOCOL_V2 && protocol !== PROTOCOL_BASE64_V1;
}

/** Kubernetes' DefaultStreamCreationTimeout. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

export class StreamCreationTimeout extends Error {
  constructor() {
    super('timed out waiting for client to create streams');
  }
}

/**
 * Accepts the client's SPDY streams until every one the request needs is open (error always;
 * stdin, stdout, stderr as asked; resize with a TTY from v3 on). Extra or repeated stream types
 * are reset. Rejects after STREAM_CREATION_TIMEOUT_MS, or if the session ends first.
 */
export function spdyCommandStreams(
  session: SpdySession,
  protocol: string,
  options: StreamOptions,
  clock: Clock,
): Promise<CommandStreams> {
  const wanted = new Set<string>(['error']);
  if (options.stdin) wanted.add('stdin');
  if (options.stdout) wanted.add('stdout');
  if (options.stderr && !options.tty) wanted.add('stderr');
  if (options.tty && hasResize(protocol)) wanted.add('resize');
  const got = new Map<string, SpdyStream>();

  return new Promise((resolve, reject) => {
    const timer = clock.setTimer(STREAM_CREATION_TIMEOUT_MS, () => {
      done();
      reject(new StreamCreationTimeout());
    });
    const onClose = (): void => {
      done();
      reject(new Error('the client closed the connection before opening its streams'));
    };
    const onStream = (stream: SpdyStream): void => {
      const type = stream.header('streamtype') ?? '';
      if (!wanted.has(type) || got.has(type)) {
        stream.reset();
        return;
      }
      stream.reply();
      got.set(type, stream);
      if (got.size < wanted.size) return;
      done();
      resolve(spdyStreams(session, got, jsonStatus(protocol)));
    };
    const done = (): void => {
      timer.cancel();
      session.off('stream', onStream);
      session.off('close', onClose);
    };
    session.on('stream', onStream);
    session.on('close', onClose);
  });
}

function spdyStreams(
  session: SpdySession,
  streams: Map<string, SpdyStream>,
  json: boolean,
): CommandStreams {
  const error = streams.get('error');
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    resize: streams.get('resize'),
    writeStatus: async (status) => {
      const bytes = encodeStatus(status, json);
      if (error === undefined || bytes === undefined) return;
      await new Promise<void>((resolve) => error.write(bytes, () => resolve()));
    },
    close: async () => {
      for (const name of ['stdout', 'stderr', 'error']) streams.get(name)?.end();
      await session.close();
    },
  };
}

/** Channel numbers of the exec/attach WebSocket protocols. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

export function webSocketCommandStreams(
  channels: ChannelConnection,
  protocol: string,
  options: StreamOptions,
): CommandStreams {
  // Tell the client the session is up: an empty frame on the first channel it reads
  // (Kubernetes' remotecommand websocket handler does the same).
  const first = options.stdout ? CHANNEL.stdout : options.stderr ? CHANNEL.stderr : CHANNEL.error;
  void channels.send(first, Buffer.alloc(0)).catch(() => undefined);
  const json = jsonStatus(protocol);
  return {
    stdin: options.stdin ? channels.reader(CHANNEL.stdin) : undefined,
    stdout: options.stdout ? channels.writer(CHANNEL.stdout) : undefined,
    stderr: options.stderr && !options.tty ? channels.writer(CHANNEL.stderr) : undefined,
    resize: options.tty && hasResize(protocol) ? channels.reader(CHANNEL.resize) : undefined,
    writeStatus: async (status) => {
      const bytes = encodeStatus(status, json);
      if (bytes !== undefined) await channels.send(CHANNEL.error, bytes).catch(() => undefined);
    },
    close: () => channels.close(),
  };
}
