// /metrics with prom-client, named as Kubernetes names them so existing dashboards read them.
// Each server has its own registry (tests run several servers in one process).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'verb' | 'group' | 'resource' | 'subresource' | 'code'>;
  readonly requestDuration: Histogram<'verb' | 'group' | 'resource' | 'subresource'>;
  readonly watchers: Gauge<'resource'>;
  readonly storageObjects: Gauge<'resource'>;
  readonly storageDuration: Histogram<'operation'>;
}

export function createMetrics(countObjects: () => Promise<Map<string, number>>): ApiMetrics {
  const registry = new Registry();
  const storageObjects = new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Number of stored objects at the time of last check split by resource.',
    labelNames: ['resource'] as const,
    registers: [registry],
    // Counted when scraped, so the figure is never stale and costs nothing between scrapes.
    async collect() {
      for (const [resource, count] of await countObjects()) this.set({ resource }, count);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, group, resource and HTTP response code.',
      labelNames: ['verb', 'group', 'resource', 'subresource', 'code'] as const,
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, group, resource and subresource (watches excluded).',
      labelNames: ['verb', 'group', 'resource', 'subresource'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    watchers: new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently registered watchers for a given resource.',
      labelNames: ['resource'] as const,
      registers: [registry],
    }),
    storageObjects,
    storageDuration: new Histogram({
      name: 'apiserver_storage_request_duration_seconds',
      help: 'Storage request latency in seconds, by operation.',
      labelNames: ['operation'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
