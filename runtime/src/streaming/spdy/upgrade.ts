// The HTTP side of SPDY streaming (apimachinery's httpstream): the client asks for
// `Connection: Upgrade`, `Upgrade: SPDY/3.1` and offers its protocols in X-Stream-Protocol-Version
// headers; the server picks the first offered one it speaks and answers 101 with its choice.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SpdySession } from './connection.js';

export const SPDY_UPGRADE = 'SPDY/3.1';
export const PROTOCOL_HEADER = 'X-Stream-Protocol-Version';
export const ACCEPTED_PROTOCOLS_HEADER = 'X-Accepted-Stream-Protocol-Versions';

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (
    (req.headers.upgrade ?? '').toLowerCase() === SPDY_UPGRADE.toLowerCase() &&
    /(^|[\s,])upgrade($|[\s,])/i.test(req.headers.connection ?? '')
  );
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (
    (req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    /(^|[\s,])upgrade($|[\s,])/i.test(req.headers.connection ?? '')
  );
}

/** Every value of a header that may repeat or hold a comma-separated list. */
export function headerList(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct[name.toLowerCase()] ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The first protocol the client offered that the server speaks, or undefined. */
export function negotiate(
  offered: readonly string[],
  supported: readonly string[],
): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** Writes a plain HTTP answer on a socket that was never upgraded, and closes it. */
export function refuseUpgrade(
  socket: Duplex,
  code: number,
  reason: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  const lines = [`HTTP/1.1 ${code} ${reason}`, 'Content-Type: text/plain; charset=utf-8'];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  const bytes = Buffer.from(`${body}\n`);
  lines.push(`Content-Length: ${bytes.length}`, 'Connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), bytes]));
}

/** Answers 101 with the chosen protocol and starts the SPDY session on the socket. */
export function acceptSpdyUpgrade(
  socket: Duplex,
  head: Buffer,
  protocol: string | undefined,
): SpdySession {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Connection: Upgrade',
    `Upgrade: ${SPDY_UPGRADE}`,
    ...(protocol === undefined ? [] : [`${PROTOCOL_HEADER}: ${protocol}`]),
    '',
    '',
  ];
  socket.write(lines.join('\r\n'));
  if (head.length > 0) socket.unshift(head);
  return new SpdySession(socket, 'server');
}
