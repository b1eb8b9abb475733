// hostPort: a pod's port_mappings with a host_port, forwarded from the node to the pod by
// destination NAT, as the CNI `portmap` plugin does for containerd. Connections to any local
// address of the node (or to the mapping's host_ip only, when it names one) on the host port are
// rewritten to the pod's address and container port: from other machines (PREROUTING), from the
// node itself (OUTPUT), including 127.0.0.1, and from the pod to itself (hairpin). The last two
// are also masqueraded, so the pod's reply comes back through the node's connection tracking:
// a reply to 127.0.0.1 or to the pod's own address would otherwise never be un-NATed.
//
// Two backends, each in objects of its own (host-ports-nft.ts, host-ports-iptables.ts); every
// rule names its sandbox, which is how a sandbox's rules are replaced, removed, and found again
// by a restarted runtime (stale ones of sandboxes that no longer exist are removed then).
//
// UDP has no connection to end: a client that kept sending to a host port keeps matching its
// connection-tracking entry, and so its old DNAT (to a pod that is gone, or to nothing), for as
// long as it sends. Like portmap, setting a sandbox's forwards deletes the UDP entries of its
// host ports, so the next datagram is NATed by the new rules.
import { writeFile } from 'node:fs/promises';
import { Conntrack } from '@skiff/api';
import { findExecutable } from './exec.js';
import { iptablesHostPorts } from './host-ports-iptables.js';
import { nftHostPorts } from './host-ports-nft.js';

export type HostPortProtocol = 'tcp' | 'udp' | 'sctp';

export interface HostPortMapping {
  readonly protocol: HostPortProtocol;
  readonly hostPort: number;
  readonly containerPort: number;
  /** Only connections to this node address are forwarded; empty or 0.0.0.0 means any. */
  readonly hostIp: string;
}

export interface HostPortBackend {
  readonly tool: 'nft' | 'iptables';
  /** Replaces the sandbox's forwards with these, in one step where the tool allows. */
  set(sandboxId: string, podIp: string, mappings: readonly HostPortMapping[]): Promise<void>;
  /** Removes every forward of the sandbox; nothing to remove is fine. */
  remove(sandboxId: string): Promise<void>;
  /** The sandboxes that have forwards. */
  owners(): Promise<Set<string>>;
  /** Removes the backend's chains or table altogether. */
  uninstall(): Promise<void>;
}

/** "auto" prefers nft (the kernel's native interface), then iptables; "none" forwards nothing. */
export type HostPortMode = 'auto' | 'nft' | 'iptables' | 'none';

export function chooseHostPortBackend(
  mode: HostPortMode,
  bridge: string,
  searchPath: string,
): HostPortBackend | undefined {
  if (mode === 'none') return undefined;
  const tools = mode === 'auto' ? (['nft', 'iptables'] as const) : [mode];
  for (const tool of tools) {
    if (tool === 'nft') {
      const nft = findExecutable('nft', searchPath);
      if (nft !== undefined) return nftHostPorts(nft, bridge);
    } else {
      const iptables = findExecutable('iptables', searchPath);
      const restore = findExecutable('iptables-restore', searchPath);
      if (iptables !== undefined && restore !== undefined) {
        return iptablesHostPorts(iptables, restore, bridge);
      }
    }
  }
  if (mode !== 'auto') {
    throw new Error(`hostPort backend "${mode}" was asked for, but \`${mode}\` is not on PATH`);
  }
  return undefined;
}

const protocols: readonly HostPortProtocol[] = ['tcp', 'udp', 'sctp'];

/**
 * Checks mappings before any of them reaches a rule: ports in range, a known protocol, and a
 * host_ip that is an IPv4 address. IPv6 host IPs are dropped, as portmap drops a family the pod
 * has no address of (skiff's pods are IPv4 only).
 */
export function validHostPortMappings(mappings: readonly HostPortMapping[]): HostPortMapping[] {
  const result: HostPortMapping[] = [];
  for (const m of mappings) {
    const what = `port mapping ${m.hostIp ? `${m.hostIp}:` : ''}${m.hostPort}->${m.containerPort}`;
    if (!protocols.includes(m.protocol)) throw new Error(`${what}: unknown protocol ${m.protocol}`);
    for (const port of [m.hostPort, m.containerPort]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${what}: ports must be 1-65535`);
      }
    }
    if (m.hostIp.includes(':')) continue;
    if (m.hostIp !== '' && !isIpv4(m.hostIp)) {
      throw new Error(`${what}: host_ip ${JSON.stringify(m.hostIp)} is not an IP address`);
    }
    result.push({ ...m, hostIp: m.hostIp === '0.0.0.0' ? '' : m.hostIp });
  }
  return result;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * Lets packets from 127.0.0.0/8 be routed out of the pod's host veth (the kernel drops such
 * "martians" otherwise) so a connection to 127.0.0.1:hostPort, once DNATed, reaches the pod; the
 * masquerade rule then gives it the veth's address, the gateway. portmap sets the same switch on
 * the interface its pods hang off.
 */
export async function allowLocalnetRouting(hostInterface: string): Promise<void> {
  const file = `/proc/sys/net/ipv4/conf/${hostInterface}/route_localnet`;
  try {
    await writeFile(file, '1\n');
  } catch (err) {
    throw new Error(`enabling route_localnet in ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** The comment every rule of a sandbox carries. */
export function ownerComment(sandboxId: string): string {
  return `skiff-sandbox ${sandboxId}`;
}

export function ownerOf(comment: string | undefined): string | undefined {
  const prefix = 'skiff-sandbox ';
  return comment?.startsWith(prefix) ? comment.slice(prefix.length) : undefined;
}

/**
 * A backend with the set of sandboxes that have forwards kept in memory, read from the kernel on
 * first use (so a restarted runtime knows those an earlier process made): tearing down a pod
 * without host ports, most pods, then costs no nft or iptables process.
 */
export class HostPortForwards {
  private known: Promise<Set<string>> | undefined;
  /** Whether this process has made forwards: from then on, failing to read them is an error. */
  private made = false;
  private unreadableLogged = false;

  constructor(
    private readonly backend: HostPortBackend,
    private readonly log: (message: string) => void,
    private readonly conntrack = new Conntrack(),
  ) {}

  get tool(): HostPortBackend['tool'] {
    return this.backend.tool;
  }

  async set(sandboxId: string, podIp: string, mappings: readonly HostPortMapping[]): Promise<void> {
    const owners = await this.owners();
    this.made = true;
    await this.backend.set(sandboxId, podIp, mappings);
    owners.add(sandboxId);
    const udpPorts = new Set(mappings.filter((m) => m.protocol === 'udp').map((m) => m.hostPort));
    for (const hostPort of udpPorts) {
      await this.conntrack.delete({ protocol: 'udp', origDstPort: hostPort });
    }
  }

  async remove(sandboxId: string): Promise<void> {
    let owners: Set<string>;
    try {
      owners = await this.owners();
    } catch (err) {
      // A tool that cannot list its own rules here (no nf_tables in this kernel, say) has made
      // none to remove, unless this process made some; tearing down a pod must not hang on it.
      if (this.made) throw err;
      if (!this.unreadableLogged) {
        this.log(`host port forwards cannot be read with ${this.tool}: ${(err as Error).message}`);
      }
      this.unreadableLogged = true;
      return;
    }
    if (!owners.has(sandboxId)) return;
    await this.backend.remove(sandboxId);
    owners.delete(sandboxId);
  }

  /** The sandboxes with forwards, read from the kernel again (for reconciling). */
  async ownersNow(): Promise<ReadonlySet<string>> {
    this.known = undefined;
    return new Set(await this.owners());
  }

  async uninstall(): Promise<void> {
    this.known = undefined;
    await this.backend.uninstall();
  }

  private owners(): Promise<Set<string>> {
    const reading = (this.known ??= this.backend.owners());
    // A failed read is not remembered: the next call asks the kernel again.
    reading.catch(() => {
      if (this.known === reading) this.known = undefined;
    });
    return reading;
  }
}
