// Test helpers for upgrade requests: send one and read what came back (a refusal's body, or
// the connection after a 101), and check bytes round-trip over an upgraded connection.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/** A key pair whose certificate is its own CA, for 127.0.0.1, made by the real openssl. */
export async function selfSignedTestCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-test-cert-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=skiff-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    return {
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
