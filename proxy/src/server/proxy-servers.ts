// kube-proxy's two HTTP servers. --healthz-bind-address (default 0.0.0.0:10256): /healthz and
// /livez, JSON with lastUpdated and currentTime, 503 when rules are overdue.
// --metrics-bind-address (default 127.0.0.1:10249): /metrics (Prometheus text), /proxyMode (the
// mode in use, as kube-proxy answers it) and /healthz. null: that server is not started.
import { errorMessage } from '@skiff/api';
import type { Registry } from 'prom-client';
import type { ProxyHealth } from '../proxier/health.js';
import type { ProxyMode } from '../proxier/mode.js';
import { parseBindAddress, serve, type Route, type RunningServer } from './http-server.js';

export interface ProxyServersOptions {
  readonly healthzBindAddress: string | null;
  readonly metricsBindAddress: string | null;
  readonly health: ProxyHealth;
  readonly registry: Registry;
  readonly mode: ProxyMode;
}

export interface ProxyServers {
  readonly healthz: RunningServer | undefined;
  readonly metrics: RunningServer | undefined;
  close(): Promise<void>;
}

export async function startProxyServers(options: ProxyServersOptions): Promise<ProxyServers> {
  const { health, registry, mode } = options;
  const healthz: Route = (_req, res) => {
    const status = health.status();
    res.writeHead(status.healthy ? 200 : 503, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        lastUpdated: status.lastUpdated,
        currentTime: status.currentTime,
        nodeEligible: true,
      }),
    );
  };
  const healthzServer =
    options.healthzBindAddress === null
      ? undefined
      : await serve(parseBindAddress('--healthz-bind-address', options.healthzBindAddress), {
          '/healthz': healthz,
          '/livez': healthz,
        });
  let metricsServer: RunningServer | undefined;
  try {
    metricsServer =
      options.metricsBindAddress === null
        ? undefined
        : await serve(parseBindAddress('--metrics-bind-address', options.metricsBindAddress), {
            '/metrics': (_req, res) => {
              registry.metrics().then(
                (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
                (err: unknown) =>
                  res.writeHead(500).end(`collecting metrics failed: ${errorMessage(err)}`),
              );
            },
            '/proxyMode': (_req, res) =>
              res.writeHead(200, { 'content-type': 'text/plain' }).end(mode),
            '/healthz': healthz,
          });
  } catch (err) {
    await healthzServer?.close();
    throw err;
  }
  return {
    healthz: healthzServer,
    metrics: metricsServer,
    close: async () => {
      await Promise.all([healthzServer?.close(), metricsServer?.close()]);
    },
  };
}
