// Sends a fuzz request byte-exact with node:http (fetch would normalise `..` and re-encode the
// path) over one keep-alive connection, and collects what came back. A watch is read for a
// moment and then abandoned, as a client that loses interest would.
import { Agent, request } from 'node:http';
import type { FuzzRequest } from './requests.js';

export interface FuzzResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** Set when the exchange failed at the transport level (reset, hang). */
  readonly transportError?: string;
}

const ANSWER_TIMEOUT_MS = 10_000;
const WATCH_READ_MS = 15;

export class FuzzClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(private readonly baseUrl: string) {}

  send(fuzz: FuzzRequest): Promise<FuzzResponse> {
    const url = new URL(this.baseUrl);
    return new Promise<FuzzResponse>((resolve) => {
      let settled = false;
      const finish = (response: FuzzResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      };
      const headers: Record<string, string> = {};
      if (fuzz.contentType !== undefined) headers['content-type'] = fuzz.contentType;
      if (fuzz.body && !fuzz.body.chunked)
        headers['content-length'] = String(fuzz.body.bytes.length);
      const req = request({
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: fuzz.path,
        headers,
        agent: this.agent,
      });
      const timer = setTimeout(() => {
        finish({
          status: 0,
          contentType: '',
          text: '',
          transportError: `no answer within ${ANSWER_TIMEOUT_MS} ms`,
        });
        req.destroy();
      }, ANSWER_TIMEOUT_MS);
      req.on('error', (err) => {
        finish({ status: 0, contentType: '', text: '', transportError: err.message });
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        const done = (): void =>
          finish({ status, contentType, text: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', done);
        res.on('error', (err) =>
          finish({ status, contentType, text: '', transportError: err.message }),
        );
        if (fuzz.watch && status === 200) {
          // The stream never ends on its own within a fuzz case: take what arrived, then hang up.
          setTimeout(() => {
            done();
            req.destroy();
          }, WATCH_READ_MS);
        }
      });
      writeBody(req, fuzz);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function writeBody(req: ReturnType<typeof request>, fuzz: FuzzRequest): void {
  const body = fuzz.body;
  if (!body) {
    req.end();
    return;
  }
  if (!body.chunked) {
    req.end(body.bytes);
    return;
  }
  // Without a Content-Length node sends chunked encoding; several writes make several chunks.
  const step = Math.max(1, Math.ceil(body.bytes.length / 4));
  for (let at = 0; at < body.bytes.length; at += step)
    req.write(body.bytes.subarray(at, at + step));
  req.end();
}
