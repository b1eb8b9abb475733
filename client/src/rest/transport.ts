// The one place bytes meet the network: node:http(s) with keep-alive, so a controller's many
// small requests reuse a few connections, and with the kubeconfig's TLS material on the agent.
// Node's built-in fetch cannot take a custom CA or client certificate without an extra
// dependency (undici's Agent), which is why this is plain node:http.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TlsConfig } from './config.js';

export interface HttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/namespaces/a/pods?limit=5`, appended to the base URL. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Aborting destroys the request or, once it has answered, the response stream. */
  readonly signal: AbortSignal;
}

/** Sends one HTTP request; the RestClient around it adds everything else. */
export interface Transport {
  /** Resolves once the status line and headers are in; the body is the caller's to read. */
  send(request: HttpRequest): Promise<IncomingMessage>;
  /** Closes idle connections so the process can exit. */
  close(): void;
}

export class HttpTransport implements Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(server: string, tls: TlsConfig = {}) {
    this.base = new URL(server);
    this.secure = this.base.protocol === 'https:';
    if (!this.secure && this.base.protocol !== 'http:') {
      throw new Error(`server ${server}: only http:// and https:// URLs are supported`);
    }
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: !tls.insecureSkipTlsVerify,
          servername: tls.serverName,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** Resolves once the status line and headers are in; the body is the caller's to read. */
  send(request: HttpRequest): Promise<IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + request.path, this.base);
    const headers = { ...request.headers };
    if (request.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    const options = { method: request.method, headers, agent: this.agent, signal: request.signal };
    return new Promise((resolve, reject) => {
      const req = this.secure
        ? https.request(url, options, resolve)
        : http.request(url, options, resolve);
      req.on('error', reject);
      req.end(request.body);
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
