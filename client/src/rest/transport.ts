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
  /** The caller's: aborting destroys the request or, once it has answered, the response stream. */
  readonly signal?: AbortSignal;
  /**
   * Handed a function that ends this request the same way, with `reason` as the error. How the
   * client's timeout stops a request without an AbortController per request: creating one and
   * wiring it into node:http cost ~5 % of a scheduler's CPU, spent on requests that never abort.
   */
  readonly abortable?: (abort: (reason: Error) => void) => void;
}

/** Sends one HTTP request; the RestClient around it adds everything else. */
export interface Transport {
  /** Resolves once the status line and headers are in; the body is the caller's to read. */
  send(request: HttpRequest): Promise<IncomingMessage>;
  /** Closes idle connections so the process can exit. */
  close(): void;
}

/** More than the idle connections one agent keeps to one server is never needed. */
const MAX_STALE_RETRIES = 4;

/** A request that failed on a kept-alive connection the server had closed: never read. */
class StaleConnectionError extends Error {
  constructor(readonly original: Error) {
    super(original.message, { cause: original });
    this.name = 'StaleConnectionError';
  }
}

function errorCode(err: Error): string | undefined {
  return 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Whether the caller (or the client's timeout) ended the request: not the server's doing. */
function aborted(request: HttpRequest): boolean {
  return request.signal?.aborted === true;
}

export class HttpTransport implements Transport {
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  /** Where every request goes, parsed once: a URL per request cost ~2 % of a busy client. */
  private readonly target: { readonly hostname: string; readonly port: string };
  /** The server URL's path, which request paths are appended to (`/k8s` in `https://h/k8s`). */
  private readonly basePath: string;

  constructor(server: string, tls: TlsConfig = {}) {
    const base = new URL(server);
    this.secure = base.protocol === 'https:';
    if (!this.secure && base.protocol !== 'http:') {
      throw new Error(`server ${server}: only http:// and https:// URLs are supported`);
    }
    // node:http wants an IPv6 literal without its brackets.
    this.target = { hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'), port: base.port };
    this.basePath = base.pathname.replace(/\/$/, '');
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

  /**
   * Resolves once the status line and headers are in; the body is the caller's to read.
   *
   * A kept-alive connection can be closed by the server just as a request goes out on it (the
   * server's idle timeout firing while this side, perhaps late on a busy machine, picks the
   * socket). The request then fails with ECONNRESET before any answer, and the server never
   * read it — it was closing an idle connection. Go's transport retries exactly that case, for
   * every verb; so does this, on another connection, a bounded number of times. A reset on a
   * fresh connection, or after the answer began, stays an error: the request may have been
   * applied.
   */
  async send(request: HttpRequest): Promise<IncomingMessage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(request);
      } catch (err) {
        if (!(err instanceof StaleConnectionError)) throw err;
        if (attempt >= MAX_STALE_RETRIES) throw err.original;
      }
    }
  }

  private sendOnce(request: HttpRequest): Promise<IncomingMessage> {
    const headers = { ...request.headers };
    if (request.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    const options = {
      ...this.target,
      path: this.basePath + request.path,
      method: request.method,
      headers,
      agent: this.agent,
      signal: request.signal,
    };
    return new Promise((resolve, reject) => {
      const req = this.secure ? https.request(options, resolve) : http.request(options, resolve);
      // Destroying the request also ends a response already streaming on its socket.
      request.abortable?.((reason) => req.destroy(reason));
      req.on('error', (err) => {
        const stale = req.reusedSocket && errorCode(err) === 'ECONNRESET' && !aborted(request);
        reject(stale ? new StaleConnectionError(err) : err);
      });
      req.end(request.body);
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

/** The whole body as text. Events rather than `for await`, whose async iterator costs more. */
export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
    // Destroyed before the end (an abort, a broken connection) without an error event.
    res.once('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the answer was complete'));
    });
  });
}
