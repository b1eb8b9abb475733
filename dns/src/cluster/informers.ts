// Keeps ClusterRecords current from the apiserver: one informer on Services and one on
// EndpointSlices (discovery.k8s.io/v1, kept by the controller-manager's endpointslice
// controller), across all namespaces. Pods are not watched: pod names are answered in CoreDNS's
// `pods insecure` mode, and hostnames come from the EndpointSlices.
import type { Client } from '@skiff/client';
import { SharedInformerFactory } from '@skiff/client';
import type { Clock } from '@skiff/api';
import { ClusterRecords } from './records.js';

export interface ClusterWatch {
  readonly records: ClusterRecords;
  hasSynced(): boolean;
  /** Resolves true once both caches hold the first list, false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean>;
  stop(): Promise<void>;
}

export function watchCluster(
  client: Client,
  options: { clock?: Clock; log?: (message: string) => void } = {},
): ClusterWatch {
  const records = new ClusterRecords();
  const factory = new SharedInformerFactory(client, {
    ...(options.clock && { clock: options.clock }),
    ...(options.log && { log: options.log }),
  });
  const services = factory.core.v1.services();
  const slices = factory.discovery.v1.endpointSlices();
  services.addEventHandler({
    onAdd: (service) => records.setService(service),
    onUpdate: (_old, service) => records.setService(service),
    onDelete: (service) =>
      records.deleteService(service.metadata.namespace ?? '', service.metadata.name ?? ''),
  });
  slices.addEventHandler({
    onAdd: (slice) => records.setEndpointSlice(slice),
    onUpdate: (_old, slice) => records.setEndpointSlice(slice),
    onDelete: (slice) =>
      records.deleteEndpointSlice(slice.metadata.namespace ?? '', slice.metadata.name ?? ''),
  });
  const stop = new AbortController();
  factory.start(stop.signal);
  return {
    records,
    hasSynced: () => services.hasSynced() && slices.hasSynced(),
    waitForSync: async (signal) => {
      const synced = await factory.waitForCacheSync(signal);
      return [...synced.values()].every(Boolean);
    },
    stop: async () => {
      stop.abort();
      await factory.shutdown();
    },
  };
}
