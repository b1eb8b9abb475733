// A deliberately thin HTTP client for tests: raw requests, raw answers, so tests see exactly
// what a real client would (status codes, headers, bodies) with no client-side logic between.
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly body: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: ApiResponse['body'] = {};
    try {
      parsed = JSON.parse(text) as ApiResponse['body'];
    } catch (err) {
      // Non-JSON answers (health checks, metrics) are read through `text`.
      if (!(err instanceof SyntaxError)) throw err;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('POST', path, { ...options, body });
  }

  put(path: string, body: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('PUT', path, { ...options, body });
  }

  patch(path: string, body: unknown, contentType: string): Promise<ApiResponse> {
    return this.request('PATCH', path, { body, contentType });
  }

  delete(path: string, body?: unknown): Promise<ApiResponse> {
    return this.request('DELETE', path, { body });
  }

  /** Opens a watch and collects its events as they arrive. */
  watch(path: string): WatchSession {
    return new WatchSession(this.baseUrl + path);
  }
}

export interface WatchLine {
  readonly type: string;
  readonly object: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

/** A watch stream read line by line; `next(n)` waits (bounded) for n more events. */
export class WatchSession {
  readonly events: WatchLine[] = [];
  readonly status: Promise<number>;
  private readonly abort = new AbortController();
  private ended = false;
  private readonly done: Promise<void>;
  private waiters: (() => void)[] = [];
  private consumed = 0;

  constructor(url: string) {
    let resolveStatus: (code: number) => void = () => undefined;
    this.status = new Promise((resolve) => (resolveStatus = resolve));
    this.done = (async () => {
      try {
        const res = await fetch(url, { signal: this.abort.signal });
        resolveStatus(res.status);
        if (!res.body) return;
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) this.events.push(JSON.parse(line) as WatchLine);
            newline = buffer.indexOf('\n');
          }
          this.wake();
        }
      } catch (err) {
        if (!this.abort.signal.aborted) throw err;
      } finally {
        this.ended = true;
        this.wake();
      }
    })();
  }

  /** The next `count` events (after those already taken), waiting up to `timeoutMs`. */
  async next(count: number, timeoutMs = 10_000): Promise<WatchLine[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < this.consumed + count) {
      if (this.ended) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const got = this.events.slice(this.consumed, this.consumed + count);
    if (got.length < count) {
      throw new Error(`watch delivered ${got.length} of ${count} events (ended: ${this.ended})`);
    }
    this.consumed += count;
    return got;
  }

  /** Resolves when the server ends the stream. */
  async closed(): Promise<void> {
    await this.done;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
