// The host ports in use on a node, as Kubernetes' HostPortInfo: by host IP, then protocol/port.
// A port bound on 0.0.0.0 (or no hostIP) takes that port on every address, so it conflicts with
// the same protocol/port on any IP, and any IP conflicts with it.
import type { ContainerPort, Pod } from '@skiff/api';

const ANY_IP = '0.0.0.0';

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export class HostPortInfo {
  private readonly byIp = new Map<string, Set<string>>();

  add(p: HostPort): void {
    let set = this.byIp.get(p.ip);
    if (!set) this.byIp.set(p.ip, (set = new Set()));
    set.add(`${p.protocol}/${p.port}`);
  }

  remove(p: HostPort): void {
    const set = this.byIp.get(p.ip);
    if (!set) return;
    set.delete(`${p.protocol}/${p.port}`);
    if (set.size === 0) this.byIp.delete(p.ip);
  }

  conflicts(p: HostPort): boolean {
    const key = `${p.protocol}/${p.port}`;
    if (p.ip === ANY_IP) {
      for (const set of this.byIp.values()) if (set.has(key)) return true;
      return false;
    }
    return (this.byIp.get(p.ip)?.has(key) ?? false) || (this.byIp.get(ANY_IP)?.has(key) ?? false);
  }

  size(): number {
    let n = 0;
    for (const set of this.byIp.values()) n += set.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, set] of this.byIp) c.byIp.set(ip, new Set(set));
    return c;
  }
}

/** The host ports a pod's containers (and sidecar-style init containers) ask for. */
export function podHostPorts(pod: Readonly<Pod>): HostPort[] {
  // Runs for every pod in PreFilter and for every pod the cache takes in: no closure per call.
  const ports: HostPort[] = [];
  for (const c of pod.spec.initContainers ?? [])
    if (c.restartPolicy === 'Always') collectHostPorts(c.ports, ports);
  for (const c of pod.spec.containers) collectHostPorts(c.ports, ports);
  return ports;
}

function collectHostPorts(list: readonly ContainerPort[] | undefined, into: HostPort[]): void {
  if (!list) return;
  for (const p of list) {
    if (!p.hostPort) continue;
    into.push({ ip: p.hostIP || ANY_IP, protocol: p.protocol ?? 'TCP', port: p.hostPort });
  }
}
