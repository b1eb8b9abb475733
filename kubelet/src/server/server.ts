// The kubelet's HTTP endpoint on --port (10250): /healthz (healthz.ts), /metrics, /pods,
// /containerLogs (container-logs-handler.ts), /stats/summary (stats-summary.ts), and /exec,
// /attach and /portForward (streaming-handler.ts), which arrive as upgrade requests.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorMessage, type Clock } from '@skiff/api';
import type { Registry } from 'prom-client';
import type { RuntimeService, StreamingService } from '../cri/index.js';
import type { StatsService } from '../cri/stats-service.js';
import { serveHealthz } from './healthz.js';
import { listen } from './listen.js';
import { serveContainerLogs, servePods, type PodSource } from './container-logs-handler.js';
import { isStreamingPath, refuse, serveStreamUpgrade, StreamRefusal } from './streaming-handler.js';
import { NodeCpuSampler, serveStatsSummary } from './stats-summary.js';

export interface KubeletServerOptions {
  readonly address: string;
  readonly port: number;
  readonly registry: Registry;
  readonly clock: Clock;
  /** When the PLEG last relisted (0: not yet). */
  readonly lastRelist: () => number;
  /** The pods bound to this node (/pods, /containerLogs). */
  readonly pods: PodSource;
  /**
   * Where container log paths and states come from (/containerLogs), and the containers' usage
   * (/stats/summary) from a runtime that reports stats, as every CRI runtime does.
   */
  readonly runtime: RuntimeService & Partial<Pick<StatsService, 'listContainerStats'>>;
  /** The node's name in /stats/summary. */
  readonly nodeName?: string;
  /** Where exec, attach and port-forward streams come from. */
  readonly streaming: StreamingService;
  readonly log: (message: string) => void;
  /** See StreamingContext.runtimeStreamingCA. */
  readonly runtimeStreamingCA?: string;
}

export interface KubeletServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const cpu = new NodeCpuSampler(options.clock);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (isStreamingPath(path)) {
      // Only an upgrade request (the 'upgrade' event below) can be served here.
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Upgrade request required');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      serveHealthz(res, options);
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(`${errorMessage(err)}\n`),
      );
      return;
    }
    const { listContainerStats } = options.runtime;
    if (path === '/stats/summary' && listContainerStats) {
      const stats = { listContainerStats: () => listContainerStats.call(options.runtime) };
      serveStatsSummary(res, { ...options, nodeName: options.nodeName ?? '', stats, cpu }).catch(
        (err: unknown) => {
          options.log(`/stats/summary: ${errorMessage(err)}`);
          if (!res.headersSent) res.writeHead(500).end(`${errorMessage(err)}\n`);
        },
      );
      return;
    }
    if (path === '/pods') {
      servePods(res, options.pods);
      return;
    }
    if (path.startsWith('/containerLogs/')) {
      serveContainerLogs(req, res, options).catch((err: unknown) => {
        options.log(`/containerLogs: ${errorMessage(err)}`);
        if (!res.headersSent) res.writeHead(500).end(`${errorMessage(err)}\n`);
        else res.end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.on('error', (err) => options.log(`stream ${req.url ?? ''}: ${errorMessage(err)}`));
    if (head.length > 0) socket.unshift(head);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? '';
    if (!isStreamingPath(path) || (method !== 'GET' && method !== 'POST')) {
      refuse(socket, new StreamRefusal(404, '404 page not found\n'));
      return;
    }
    serveStreamUpgrade(req, socket, options).catch((err: unknown) => {
      options.log(`stream ${req.url ?? ''}: ${errorMessage(err)}`);
      socket.destroy();
    });
  });
  const port = await listen(server, options.port, options.address);
  return {
    port,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
