// Services: the registry allocates their cluster IP and node ports. A requested value is
// honoured if free and in range, refused with 422 otherwise; missing values are allocated.
// Everything allocated is released when the service is deleted, or when an update stops
// needing it (a NodePort service turned back into ClusterIP gives its node ports back).
import type { KindInfo, Service, ServicePort } from '@skiff/api';
import { AllocationBatch } from '../../allocators/allocation-batch.js';
import type { ServiceAllocators } from '../../allocators/service-ranges.js';
import { RangeFullError, type StorageAllocator } from '../../allocators/storage-allocator.js';
import { apiErrors } from '@skiff/api';
import { asKind } from '../api-object.js';
import { defaultStrategy, type Strategy, type WriteEffects } from '../strategy.js';

export function needsClusterIp(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.clusterIP !== 'None';
}

export function needsNodePorts(svc: Service): boolean {
  const type = svc.spec?.type;
  return (
    type === 'NodePort' ||
    (type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false)
  );
}

function requestedIp(svc: Service): string | undefined {
  return svc.spec?.clusterIP || svc.spec?.clusterIPs?.[0] || undefined;
}

function setIp(svc: Service, ip: string): void {
  svc.spec.clusterIP = ip;
  svc.spec.clusterIPs = [ip];
  svc.spec.ipFamilies = ['IPv4'];
}

function nodePortsOf(svc: Service): Set<number> {
  if (!needsNodePorts(svc)) return new Set();
  return new Set((svc.spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : [])));
}

function samePort(a: ServicePort, b: ServicePort): boolean {
  return a.port === b.port && (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP');
}

export function serviceStrategy(kind: KindInfo, allocators: ServiceAllocators): Strategy {
  const base = defaultStrategy(true);

  async function takeIp(
    svc: Service,
    ip: string | undefined,
    batch: AllocationBatch,
  ): Promise<void> {
    const owner = ownerOf(svc);
    if (ip === undefined) {
      const value = await allocateNext(allocators.clusterIps, owner, 'serviceIP');
      batch.record(allocators.clusterIps, value);
      setIp(svc, value);
      return;
    }
    const result = await allocators.clusterIps.allocate(ip, owner);
    if (result !== 'allocated') {
      const why =
        result === 'taken'
          ? 'provided IP is already allocated'
          : `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${allocators.clusterIps.range.description}`;
      throw apiErrors.invalid(kind, svc.metadata.name ?? '', [
        {
          type: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          badValue: [ip],
          detail: `failed to allocate IP ${ip}: ${why}`,
        },
      ]);
    }
    batch.record(allocators.clusterIps, ip);
    setIp(svc, ip);
  }

  /** Allocates the node ports `svc` lacks or newly asks for; `held` are the old object's. */
  async function takeNodePorts(
    svc: Service,
    held: Set<number>,
    batch: AllocationBatch,
  ): Promise<void> {
    const owner = ownerOf(svc);
    const taken = new Set<number>();
    const ports = svc.spec.ports ?? [];
    for (const [i, port] of ports.entries()) {
      if (port.nodePort) {
        // The same node port may serve one port number over two protocols (TCP and UDP 53).
        if (held.has(port.nodePort) || taken.has(port.nodePort)) continue;
        const result = await allocators.nodePorts.allocate(String(port.nodePort), owner);
        if (result !== 'allocated') {
          const range = allocators.nodePorts.range.description;
          throw apiErrors.invalid(kind, svc.metadata.name ?? '', [
            {
              type: 'FieldValueInvalid',
              field: `spec.ports[${i}].nodePort`,
              badValue: port.nodePort,
              detail:
                result === 'taken'
                  ? 'provided port is already allocated'
                  : `provided port is not in the valid range. The range of valid ports is ${range}`,
            },
          ]);
        }
        batch.record(allocators.nodePorts, String(port.nodePort));
        taken.add(port.nodePort);
      } else {
        const value = Number(await allocateNext(allocators.nodePorts, owner, 'nodePort'));
        batch.record(allocators.nodePorts, String(value));
        taken.add(value);
        port.nodePort = value;
      }
    }
  }

  async function withBatch(
    uid: string,
    work: (batch: AllocationBatch) => Promise<void>,
  ): Promise<WriteEffects> {
    const batch = new AllocationBatch(uid);
    try {
      await work(batch);
    } catch (err) {
      await batch.rollback();
      throw err;
    }
    return batch;
  }

  return {
    ...base,
    prepareForUpdate(next, prev) {
      base.prepareForUpdate(next, prev);
      const svc = asKind<Service>(next);
      const old = asKind<Service>(prev);
      // Clients that replace a service without its allocated values (kubectl replace with the
      // original manifest) keep them, as in Kubernetes.
      if (svc.spec && needsClusterIp(svc) && !requestedIp(svc) && old.spec?.clusterIP) {
        svc.spec.clusterIP = old.spec.clusterIP;
        if (old.spec.clusterIPs) svc.spec.clusterIPs = old.spec.clusterIPs;
        if (old.spec.ipFamilies) svc.spec.ipFamilies = old.spec.ipFamilies;
      }
      if (svc.spec && needsNodePorts(svc)) {
        for (const port of svc.spec.ports ?? []) {
          port.nodePort ||= old.spec?.ports?.find((p) => samePort(p, port))?.nodePort;
          if (!port.nodePort) delete port.nodePort;
        }
      } else {
        for (const port of svc.spec?.ports ?? []) delete port.nodePort;
      }
    },
    beforeCreate: (obj) => {
      const svc = asKind<Service>(obj);
      return withBatch(svc.metadata.uid ?? '', async (batch) => {
        if (svc.spec?.clusterIP === 'None') svc.spec.clusterIPs = ['None'];
        if (needsClusterIp(svc)) await takeIp(svc, requestedIp(svc), batch);
        if (needsNodePorts(svc)) await takeNodePorts(svc, new Set(), batch);
      });
    },
    beforeUpdate: (next, prev) => {
      const svc = asKind<Service>(next);
      const old = asKind<Service>(prev);
      return withBatch(svc.metadata.uid ?? '', async (batch) => {
        const oldIp = needsClusterIp(old) ? requestedIp(old) : undefined;
        const newIp = needsClusterIp(svc) ? requestedIp(svc) : undefined;
        if (needsClusterIp(svc) && newIp !== oldIp) await takeIp(svc, newIp, batch);
        if (oldIp !== undefined && oldIp !== requestedIp(svc)) {
          batch.releaseOnCommit(allocators.clusterIps, oldIp);
        }
        const held = nodePortsOf(old);
        if (needsNodePorts(svc)) await takeNodePorts(svc, held, batch);
        const kept = nodePortsOf(svc);
        for (const port of held) {
          if (!kept.has(port)) batch.releaseOnCommit(allocators.nodePorts, String(port));
        }
      });
    },
    afterDelete: async (obj) => {
      const svc = asKind<Service>(obj);
      const uid = svc.metadata.uid ?? '';
      const ip = needsClusterIp(svc) ? requestedIp(svc) : undefined;
      if (ip) await allocators.clusterIps.release(ip, uid);
      for (const port of nodePortsOf(svc)) await allocators.nodePorts.release(String(port), uid);
    },
  };
}

function ownerOf(svc: Service): { owner: string; ownerName: string } {
  return {
    owner: svc.metadata.uid ?? '',
    ownerName: `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`,
  };
}

async function allocateNext(
  allocator: StorageAllocator,
  owner: { owner: string; ownerName: string },
  what: string,
): Promise<string> {
  try {
    return await allocator.allocateNext(owner);
  } catch (err) {
    if (err instanceof RangeFullError) {
      throw apiErrors.internal(`failed to allocate a ${what}: ${err.message}`);
    }
    throw err;
  }
}
