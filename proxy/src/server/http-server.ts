// A small HTTP server: routes by exact path, a `host:port` bind address as kube-proxy's flags
// take it. What the proxy serves on it is in proxy-servers.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/** `host:port` (IPv6 as `[addr]:port`); port 0 picks a free one. */
export function parseBindAddress(flag: string, text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`${flag} ${JSON.stringify(text)}: want host:port`);
  return { host: m[1] ?? m[2] ?? '0.0.0.0', port };
}

export async function serve(
  bind: { host: string; port: number },
  routes: Readonly<Record<string, Route>>,
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end(`404 page not found: ${path}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host =
    bind.host === '0.0.0.0' || bind.host === ''
      ? '127.0.0.1'
      : bind.host.includes(':')
        ? `[${bind.host}]`
        : bind.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
