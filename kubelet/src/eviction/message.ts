// What an evicted pod is told (helpers.go's evictionMessage): the starved resource, the threshold
// and what was available, and each container that used more than it requested —
// `The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki.
// Container app was using 1Gi, request is 0, has larger consumption of memory. ` — plus the
// annotations Kubernetes puts on the Evicted event.
import { ResourceQuantity, type Pod } from '@skiff/api';
import type { Observations } from './decide.js';
import type { ContainerUsage, PodStats } from './rank.js';
import {
  SIGNAL_RESOURCE,
  thresholdQuantity,
  type StarvedResource,
  type Threshold,
} from './thresholds.js';

export const EVICTED_REASON = 'Evicted';

export interface EvictionMessage {
  readonly message: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** How Kubernetes prints an amount of this resource (bytes in binary SI, counts in decimal). */
function format(resource: StarvedResource, amount: number): string {
  const binary = resource === 'memory' || resource === 'ephemeral-storage';
  return ResourceQuantity.of(Math.trunc(amount), binary ? 'BinarySI' : 'DecimalSI').toString();
}

function thresholdText(threshold: Threshold, capacity: number): string {
  // A quantity threshold prints as it was written (a copy of the parsed Quantity); a
  // percentage one as the byte amount it comes to (a new BinarySI Quantity).
  if (threshold.value.quantity !== undefined) return threshold.value.quantity.toString();
  return ResourceQuantity.of(thresholdQuantity(threshold.value, capacity), 'BinarySI').toString();
}

/** A container's ephemeral storage in the message: its writable layer plus its logs. */
function containerDiskBytes(c: ContainerUsage): number | undefined {
  if (c.rootfsBytes === undefined && c.logsBytes === undefined) return undefined;
  return (c.rootfsBytes ?? 0) + (c.logsBytes ?? 0);
}

export function evictionMessage(
  resource: StarvedResource,
  pod: Readonly<Pod>,
  stats: PodStats,
  thresholds: readonly Threshold[],
  observations: Observations,
): EvictionMessage {
  let message = `The node was low on resource: ${resource}. `;
  const threshold = thresholds.find(
    (t) => SIGNAL_RESOURCE[t.signal] === resource && observations[t.signal] !== undefined,
  );
  const observed = threshold === undefined ? undefined : observations[threshold.signal];
  if (threshold !== undefined && observed !== undefined) {
    message += `Threshold quantity: ${thresholdText(threshold, observed.capacity)}, available: ${format(resource, observed.available)}. `;
  }
  const usage = stats(pod);
  if (usage === undefined) return { message, annotations: {} };
  const offending: string[] = [];
  const offendingUsage: string[] = [];
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  for (const measured of usage.containers) {
    const container = containers.find((c) => c.name === measured.name);
    if (container === undefined) continue;
    const requestText = container.resources?.requests?.[resource];
    const request =
      requestText === undefined ? ResourceQuantity.zero : ResourceQuantity.parse(requestText);
    const used =
      resource === 'memory'
        ? measured.memoryWorkingSetBytes
        : resource === 'ephemeral-storage'
          ? containerDiskBytes(measured)
          : undefined;
    if (used === undefined || used <= request.value()) continue;
    const usedText = format(resource, used);
    message += `Container ${container.name} was using ${usedText}, request is ${request.toString()}, has larger consumption of ${resource}. `;
    offending.push(container.name);
    offendingUsage.push(usedText);
  }
  return {
    message,
    annotations: {
      offending_containers: offending.join(','),
      offending_containers_usage: offendingUsage.join(','),
      starved_resource: resource,
    },
  };
}
