// An upgrade-aware proxy, as Kubernetes' UpgradeAwareHandler: a client's upgrade request (SPDY
// or WebSocket, whatever it offered) is repeated to a backend, and once the backend answers 101
// the two connections are joined byte for byte, so the stream protocol stays between the client
// and whoever serves it at the end. The apiserver uses it to reach a kubelet, the kubelet to
// reach the runtime's streaming server. A backend that refuses the upgrade is passed back as it
// answered: kubectl shows such a body as `unable to upgrade connection: <body>`.
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as tlsRequest } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { Duplex, Readable } from 'node:stream';

/** Headers about this hop (or this hop's credentials) that are not the backend's business. */
const NOT_FORWARDED = new Set([
  'host',
  'authorization',
  'proxy-authorization',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

/** The framing headers of a refusal, which is passed back with a length of its own. */
const REFRAMED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** How much of a refusal's body is passed back. */
const MAX_REFUSAL_BYTES = 64 * 1024;

/** The backend could not be reached (no response at all). */
export class BackendDialError extends Error {}

export type UpgradeOutcome = 'upgraded' | 'refused';

export interface UpgradeProxyOptions {
  /** What the backend is sent (default: the client's headers minus this hop's own). */
  readonly headers?: IncomingHttpHeaders;
  /**
   * Takes over once the backend switched protocols (default: its 101 is written to the client
   * and the connections are joined); calls `done` when the session is over.
   */
  readonly upgraded?: (backend: Duplex, res: IncomingMessage, done: () => void) => void;
  /**
   * For an https target: whom to trust (default Node's CA bundle). The backend's certificate is
   * always verified, its name against the target's host, as Go's TLS dial does without a config.
   */
  readonly tls?: Pick<SecureContextOptions, 'ca'>;
}

/**
 * Repeats `req` (an upgrade request whose connection is `client`) to `target` and joins the
 * connections on 101; resolves when the joined connection has closed ('upgraded') or the
 * backend's refusal has been written to the client ('refused'). Rejects with BackendDialError
 * when the backend cannot be reached, before anything was written to the client.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  client: Duplex,
  target: URL,
  options: UpgradeProxyOptions = {},
): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const common = {
      method: req.method ?? 'GET',
      headers: options.headers ?? forwardedHeaders(req.headers),
    };
    const upstream =
      target.protocol === 'https:'
        ? tlsRequest(target, { ...common, ...options.tls, rejectUnauthorized: true })
        : request(target, common);
    const clientGone = (): void => {
      upstream.destroy();
    };
    client.once('close', clientGone);
    upstream.on('upgrade', (res, socket, head) => {
      client.off('close', clientGone);
      if (head.length > 0) socket.unshift(head);
      const done = (): void => resolve('upgraded');
      if (options.upgraded !== undefined) {
        options.upgraded(socket, res, done);
        return;
      }
      client.write(responseHead(res, new Set(), []));
      joinConnections(client, socket, done);
    });
    upstream.on('response', (res) => {
      client.off('close', clientGone);
      passRefusalBack(res, client).then(
        () => resolve('refused'),
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    });
    upstream.on('error', (err) => {
      client.off('close', clientGone);
      reject(new BackendDialError(err.message));
    });
    upstream.end();
  });
}

/** The client's headers minus this hop's own. */
export function forwardedHeaders(incoming: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  }
  return out;
}

/** `HTTP/1.1 <code> <text>` and the response's headers as they came, but `skip`, plus `extra`. */
function responseHead(
  res: IncomingMessage,
  skip: ReadonlySet<string>,
  extra: readonly string[],
): string {
  const lines = [`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}`];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!skip.has((raw[i] ?? '').toLowerCase())) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  return `${[...lines, ...extra].join('\r\n')}\r\n\r\n`;
}

/** Copies both ways until either side goes; `done` once both are closed. */
export function joinConnections(a: Duplex, b: Duplex, done: () => void): void {
  let open = 2;
  const closedOne = (side: Duplex, other: Duplex) => (): void => {
    // A side that ended cleanly has had `other` ended by pipe, after what was in flight; one
    // torn down (reset, error) takes the other with it rather than leaving it half open.
    if (!side.readableEnded) other.destroy();
    open -= 1;
    if (open === 0) done();
  };
  a.once('close', closedOne(a, b));
  b.once('close', closedOne(b, a));
  // An error is followed by 'close', which tears the other side down.
  a.on('error', () => a.destroy());
  b.on('error', () => b.destroy());
  a.pipe(b);
  b.pipe(a);
}

async function passRefusalBack(res: IncomingMessage, client: Duplex): Promise<void> {
  const body = await readAtMost(res, MAX_REFUSAL_BYTES);
  // The body is re-framed here: its length is known, and the connection ends after it.
  const head = responseHead(res, REFRAMED, [`Content-Length: ${body.length}`, 'Connection: close']);
  await new Promise<void>((resolve) =>
    client.end(Buffer.concat([Buffer.from(head), body]), resolve),
  );
}

/** The first `max` bytes of a stream, read to its end (the rest is dropped). */
export async function readAtMost(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (size < max) chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks).subarray(0, max);
}
