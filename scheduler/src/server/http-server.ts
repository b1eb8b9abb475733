// kube-scheduler's HTTP endpoints on --port (default 10259; plain HTTP until the security
// issue): /healthz (the process serves), /readyz (informer caches synced — a standby that is
// not leading is ready too: it can take over at once), /metrics (Prometheus text). Routes are a
// table, so the decisions endpoint (explain) can join them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface SchedulerServer {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

export interface SchedulerServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 0.0.0.0, as kube-scheduler's --bind-address. */
  readonly host?: string;
  readonly ready: () => boolean;
  readonly registry: Registry;
  /** More routes by exact path. */
  readonly routes?: Readonly<Record<string, Route>>;
  /** Routes for a path and everything under it (`/debug/decisions` and `/debug/decisions/…`). */
  readonly subtrees?: Readonly<Record<string, Route>>;
}

const text = (res: ServerResponse, code: number, body: string): void => {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
};

export async function startSchedulerServer(
  options: SchedulerServerOptions,
): Promise<SchedulerServer> {
  const routes: Record<string, Route> = {
    '/healthz': (_req, res) => text(res, 200, 'ok'),
    '/readyz': (_req, res) =>
      options.ready() ? text(res, 200, 'ok') : text(res, 503, 'informer caches not synced'),
    '/metrics': (_req, res) => {
      options.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(body),
        (err: unknown) => text(res, 500, `collecting metrics failed: ${String(err)}`),
      );
    },
    ...options.routes,
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const subtree = Object.entries(options.subtrees ?? {}).find(
      ([prefix]) => path === prefix || path.startsWith(`${prefix}/`),
    );
    const route = routes[path] ?? subtree?.[1];
    if (route) route(req, res);
    else text(res, 404, `404 page not found: ${path}`);
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
