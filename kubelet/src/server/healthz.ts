// The kubelet's health check: ok while the PLEG keeps relisting (Kubernetes' PLEG health check:
// a relist older than 3 minutes means the kubelet lost touch with its runtime). Served on --port
// beside everything else, and — with healthzPort/--healthz-port — on a listener of its own that
// answers only /healthz, as the kubelet's 127.0.0.1:10248 does for local probes.
import { createServer, type ServerResponse } from 'node:http';
import type { Clock } from '@skiff/api';
import { listen } from './listen.js';

export const PLEG_HEALTHY_WITHIN_MS = 3 * 60_000;

export interface HealthzSource {
  readonly clock: Clock;
  /** When the PLEG last relisted (0: not yet). */
  readonly lastRelist: () => number;
}

export function serveHealthz(res: ServerResponse, source: HealthzSource): void {
  const last = source.lastRelist();
  const age = source.clock.now() - last;
  if (last > 0 && age <= PLEG_HEALTHY_WITHIN_MS) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const why =
    last === 0 ? 'PLEG has not relisted yet' : `PLEG last relisted ${Math.round(age / 1000)}s ago`;
  res
    .writeHead(500, { 'content-type': 'text/plain' })
    .end(`[-]pleg failed: ${why}\nhealthz check failed\n`);
}

export interface HealthzServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A listener answering GET /healthz only (404 for anything else). */
export async function startHealthzServer(
  options: HealthzSource & { readonly address: string; readonly port: number },
): Promise<HealthzServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    serveHealthz(res, options);
  });
  const port = await listen(server, options.port, options.address);
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
