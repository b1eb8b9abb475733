// The runtime's small HTTP side door, for probes and Prometheus: GET /healthz answers 200 "ok"
// while the runtime reports RuntimeReady (503 with the condition's message otherwise), and
// GET /metrics serves the server's metrics in the Prometheus text format. Nothing else.
import { errorMessage } from '@skiff/api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeBackend } from '../containers/index.js';
import type { RuntimeMetrics } from './metrics.js';

export interface HealthServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(
  backend: RuntimeBackend,
  metrics: RuntimeMetrics,
  port: number,
  host: string,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const answer = async (): Promise<void> => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/healthz') {
        const ready = (await backend.conditions()).find((c) => c.type === 'RuntimeReady');
        if (ready?.status === true) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        else
          res
            .writeHead(503, { 'content-type': 'text/plain' })
            .end(`not ready: ${ready?.message ?? 'no RuntimeReady condition'}`);
      } else if (path === '/metrics') {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    };
    answer().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${errorMessage(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
