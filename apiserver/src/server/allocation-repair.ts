// At start, give back allocations no service holds (left by a crash between allocating and
// writing the service). Young allocations are skipped: another apiserver on the same store may
// be creating their service right now.
import type { Service } from '@skiff/api';
import type { ServiceAllocators } from '../allocators/service-ranges.js';
import type { Registry } from '../registry/registry.js';
import { listObjects } from '../registry/list.js';
import { parseListParams } from '../registry/list-options.js';
import { asKind } from '../registry/api-object.js';
import { needsClusterIp, needsNodePorts } from '../registry/strategies/service.js';

export const REPAIR_GRACE_MS = 60_000;

export async function repairServiceAllocations(
  services: Registry,
  allocators: ServiceAllocators,
): Promise<{ clusterIps: string[]; nodePorts: string[] }> {
  const list = await listObjects(
    services,
    undefined,
    parseListParams(services.kind, new URLSearchParams()),
  );
  const ips = new Map<string, string>();
  const ports = new Map<string, string>();
  for (const item of list.items) {
    const svc = asKind<Service>(item);
    const uid = svc.metadata.uid ?? '';
    if (needsClusterIp(svc) && svc.spec.clusterIP) ips.set(svc.spec.clusterIP, uid);
    if (needsNodePorts(svc)) {
      for (const p of svc.spec.ports ?? []) if (p.nodePort) ports.set(String(p.nodePort), uid);
    }
  }
  return {
    clusterIps: await allocators.clusterIps.repair(
      (r, v) => ips.get(v) === r.owner,
      REPAIR_GRACE_MS,
    ),
    nodePorts: await allocators.nodePorts.repair(
      (r, v) => ports.get(v) === r.owner,
      REPAIR_GRACE_MS,
    ),
  };
}
