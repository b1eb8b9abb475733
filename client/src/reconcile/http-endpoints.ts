// The manager's optional HTTP listener: /healthz (the process is alive), /readyz (caches synced;
// a standby that is not leading is still ready — it can take over at once) and /metrics
// (Prometheus text: controller_runtime_*, workqueue_*, leader_election_* on the manager's
// registry).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HttpEndpointsOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1; `0.0.0.0` to be scraped from elsewhere. */
  readonly host?: string;
}

export interface HttpEndpoints {
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveHttpEndpoints(
  options: HttpEndpointsOptions,
  state: { readonly ready: () => boolean; readonly registry: Registry },
): Promise<HttpEndpoints> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ready = state.ready();
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ok' : 'caches not synced');
    } else if (path === '/metrics') {
      state.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': state.registry.contentType }).end(text),
        (err: unknown) =>
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(`collecting metrics failed: ${String(err)}`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
