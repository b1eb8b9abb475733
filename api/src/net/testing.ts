// Test helpers for upgrade requests: send one and read what came back (a refusal's body, or
// the connection after a 101), and check bytes round-trip over an upgraded connection.
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';

export interface UpgradeAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body of an answer that is not a 101. */
  readonly body: string;
  /** After a 101: the connection, the caller's to use and destroy. */
  readonly socket?: Duplex;
}

/** Sends `method url` with `headers` (an upgrade when they ask for one) and reads the answer. */
export function sendUpgrade(
  url: string,
  method: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers } });
    req.on('upgrade', (res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve({ status: 101, headers: res.headers, body: '', socket });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `text` on an upgraded connection and resolves with the first bytes that come back. */
export function roundTrip(answer: UpgradeAnswer, text: string): Promise<string> {
  const socket = answer.socket;
  if (socket === undefined) {
    return Promise.reject(new Error(`no connection: the answer was ${answer.status}`));
  }
  const back = new Promise<string>((resolve) =>
    socket.once('data', (d: Buffer) => resolve(d.toString())),
  );
  socket.write(text);
  return back;
}
