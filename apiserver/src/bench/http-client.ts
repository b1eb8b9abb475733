// A minimal keep-alive HTTP client for load: node:http with a pooled Agent, the response read
// whole and returned as text. Any status other than the expected one is an error, so a
// benchmark never counts failures as throughput.
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

export class LoadClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(
    method: string,
    path: string,
    body?: string | Buffer,
    contentType = 'application/json',
    accept?: string,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (accept !== undefined) headers.accept = accept;
      if (body !== undefined) {
        headers['content-type'] = contentType;
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends and insists on `expected`; the error names what came back instead. */
  async expect(
    expected: number,
    method: string,
    path: string,
    body?: string | Buffer,
    contentType?: string,
    accept?: string,
  ): Promise<string> {
    const answer = await this.send(method, path, body, contentType, accept);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    return answer.text;
  }

  close(): void {
    this.agent.destroy();
  }
}
