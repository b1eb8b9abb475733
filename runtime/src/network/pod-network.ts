// Pod networking for skiff's runtime: one network namespace per pod sandbox, joined to the node by
// a routed veth pair (the layout of CNI's ptp plugin), with an address from host-local IPAM and
// outbound NAT. It drives iproute2 directly instead of CNI plugins; docs/decisions/0003-pod-network.md
// says why, and 0019-routed-pod-veths.md why the veths are routed rather than bridged.
//
//   pod netns:  eth0 10.88.0.5/16 (no subnet route)   default via 10.88.0.1, 10.88.0.1 on-link
//   node:       vethXXXX 10.88.0.1/32                 route 10.88.0.5/32 dev vethXXXX
//               skiff0 10.88.0.1/16 (no ports)        holds the gateway; unused addresses end there
//
// Every packet of a pod, even to a pod on the same node, is routed by the node: one veth hop per
// side, no bridge. Those hops cost per packet, so the pair takes the node's BIG TCP size when all
// the node's links have one (pod-gso.ts, decision 0021).
//
// Everything it creates outlives the runtime process (named netns bind mounts under /run/netns,
// links, the IPAM file), so a runtime killed with -9 comes back to running pods; and every entry
// point is idempotent, so the caller can simply repeat a call whose outcome it did not see.
import { join } from 'node:path';
import { errorMessage, formatIpv4 } from '@skiff/api';
import { ensureBridge, removeBridge } from './bridge.js';
import { type PodCidr, parsePodCidr } from './pod-cidr.js';
import { findExecutable } from './exec.js';
import {
  allowLocalnetRouting,
  chooseHostPortBackend,
  HostPortForwards,
  validHostPortMappings,
  type HostPortMapping,
  type HostPortMode,
} from './host-ports.js';
import { Ipam } from './ipam.js';
import { Iproute } from './iproute.js';
import { KeyedMutex, Mutex } from './mutex.js';
import {
  chooseNatBackend,
  enableIpv4Forwarding,
  type NatBackend,
  type NatMode,
  type NatRule,
} from './nat.js';
import {
  checkBridgeName,
  checkSandboxId,
  hostVethCandidates,
  netnsName,
  netnsPath,
  sandboxIdFromAlias,
  vethAlias,
} from './names.js';
import { attachFastPathToPod } from './pod-fast-path.js';
import { matchPodGsoToNode } from './pod-gso.js';
import { Rollback } from './rollback.js';
import { together } from './together.js';

export interface PodNetworkOptions {
  /** Directory for the network's own state (the IPAM file). Must survive runtime restarts. */
  readonly stateDir: string;
  /**
   * The node's pod device: a bridge without ports that holds the gateway address and the route
   * to the pod CIDR, and names the NAT tables. Default "skiff0".
   */
  readonly bridgeName?: string;
  /** The node's pod CIDR; its first address is the gateway on the bridge. Default 10.88.0.0/16. */
  readonly podCidr?: string;
  /** MTU of both veth ends; keep it at most the uplink's. Default: the kernel's (1500). */
  readonly mtu?: number;
  /** Outbound NAT backend. Default "auto". */
  readonly nat?: NatMode;
  /** hostPort forwarding backend. Default "auto" (nft, else iptables). */
  readonly hostPorts?: HostPortMode;
  /** Where to look for ip, iptables and nft. Default: $PATH. */
  readonly searchPath?: string;
  readonly log?: (message: string) => void;
}

export interface SetUpOptions {
  /** The pod shares the host's network namespace: nothing is created or allocated. */
  readonly hostNetwork?: boolean;
  /**
   * Called with the namespace's path once it exists, before its veth is made and configured, so
   * work that needs only the namespace (creating the pause container in it) can start then.
   * Not called for hostNetwork, nor when setUp finds the sandbox's network already complete.
   */
  readonly onNamespace?: (netnsPath: string) => void;
  /** Host ports to forward to the pod (CRI port_mappings with a host_port); none for hostNetwork. */
  readonly portMappings?: readonly HostPortMapping[];
}

export interface PodNetworkAttachment {
  readonly hostNetwork: false;
  /** Bind mount of the sandbox's network namespace; containers join it via setns(2). */
  readonly netnsPath: string;
  readonly ip: string;
  readonly gateway: string;
  readonly prefixLength: number;
  /** The pod-side interface, inside the namespace. */
  readonly interfaceName: string;
  /** The host-side veth, holding the gateway address; the route to the pod goes through it. */
  readonly hostInterfaceName: string;
}

export interface HostNetworkAttachment {
  readonly hostNetwork: true;
  /** No namespace of its own: the pod uses the host's. */
  readonly netnsPath: undefined;
}

export type PodNetworkSetup = PodNetworkAttachment | HostNetworkAttachment;

/** Shaped for the CRI NetworkReady runtime condition. */
export interface NetworkStatus {
  readonly ready: boolean;
  readonly reason?: string;
  readonly message?: string;
}

type NatState =
  | { readonly phase: 'pending' }
  | { readonly phase: 'installed'; readonly backend: NatBackend }
  | { readonly phase: 'unavailable'; readonly code: string; readonly reason: string }
  | { readonly phase: 'failed'; readonly backend: NatBackend; readonly error: string };

const podInterfaceName = 'eth0';

export class PodNetwork {
  readonly bridgeName: string;
  readonly podCidr: PodCidr;
  private readonly ip: Iproute | undefined;
  private readonly ipam: Ipam;
  private readonly mtu: number | undefined;
  private readonly log: (message: string) => void;
  private readonly sandboxLocks = new KeyedMutex();
  private readonly hostLock = new Mutex();
  private nat: NatState;
  private readonly natBackend: NatBackend | undefined;
  private readonly hostPorts: HostPortForwards | undefined;
  private lastHostError: string | undefined;
  private natSkipLogged = false;

  constructor(options: PodNetworkOptions) {
    this.bridgeName = options.bridgeName ?? 'skiff0';
    checkBridgeName(this.bridgeName);
    this.podCidr = parsePodCidr(options.podCidr ?? '10.88.0.0/16');
    if (options.mtu !== undefined && !(Number.isInteger(options.mtu) && options.mtu >= 68)) {
      throw new Error(`invalid MTU ${options.mtu}: want an integer of at least 68`);
    }
    this.mtu = options.mtu;
    this.log = options.log ?? ((message) => console.warn(`[skiff network] ${message}`));
    const searchPath = options.searchPath ?? process.env.PATH ?? '';
    const ipPath = findExecutable('ip', searchPath);
    this.ip = ipPath === undefined ? undefined : new Iproute(ipPath);
    this.ipam = new Ipam(join(options.stateDir, 'ipam.json'), this.podCidr);
    const choice = chooseNatBackend(options.nat ?? 'auto', searchPath);
    this.natBackend = choice.backend;
    this.nat = choice.backend
      ? { phase: 'pending' }
      : { phase: 'unavailable', code: choice.code, reason: choice.reason };
    const hostPortBackend = chooseHostPortBackend(
      options.hostPorts ?? 'auto',
      this.bridgeName,
      searchPath,
    );
    this.hostPorts = hostPortBackend && new HostPortForwards(hostPortBackend, this.log);
  }

  /**
   * Prepares the node side (bridge, gateway address, forwarding, NAT). The runtime calls it at
   * start so NetworkReady is true before the first pod; setUp calls it again, which repairs
   * anything removed since.
   */
  init(): Promise<void> {
    return this.hostLock.run(() => this.ensureHost());
  }

  setUp(sandboxId: string, options: SetUpOptions = {}): Promise<PodNetworkSetup> {
    checkSandboxId(sandboxId);
    if (options.hostNetwork) return Promise.resolve({ hostNetwork: true, netnsPath: undefined });
    const ip = this.requireIp();
    return this.sandboxLocks.run(sandboxId, async () => {
      const rollback = new Rollback();
      try {
        // The node side is checked while IPAM writes its file: neither needs the other.
        const [host, allocation] = await Promise.allSettled([
          this.init(),
          this.ipam.allocate(sandboxId),
        ]);
        if (allocation.status === 'fulfilled' && allocation.value.allocatedNow) {
          const address = allocation.value.ip;
          rollback.add(`release ${address}`, () => this.ipam.release(sandboxId));
        }
        if (host.status === 'rejected') throw host.reason;
        if (allocation.status === 'rejected') throw allocation.reason;
        const { ip: address, allocatedNow } = allocation.value;
        const attachment = this.attachment(sandboxId, address);
        // IPAM reserves an address before any kernel object of the sandbox exists and frees it
        // only once they are all gone, so an address allocated just now means there is nothing
        // to inspect or clear away: the common case, a new sandbox, goes straight to creating.
        const mappings = validHostPortMappings(options.portMappings ?? []);
        if (!allocatedNow || (await ip.netnsExists(netnsName(sandboxId)))) {
          const existing = await this.inspect(ip, sandboxId, attachment);
          if (existing !== undefined) {
            await this.forwardHostPorts(sandboxId, existing, mappings);
            return existing;
          }
          // Half-built leftovers of an earlier attempt (the runtime died mid-setUp): start afresh.
          await this.removeKernelObjects(ip, sandboxId);
        }
        const hostInterfaceName = await this.createKernelObjects(
          ip,
          sandboxId,
          attachment,
          rollback,
          options.onNamespace,
        );
        const pod = { ...attachment, hostInterfaceName };
        if (mappings.length > 0) {
          rollback.add(`remove the host ports of ${sandboxId}`, () =>
            this.unforwardHostPorts(sandboxId),
          );
          await this.forwardHostPorts(sandboxId, pod, mappings);
        }
        return pod;
      } catch (err) {
        return rollback.fail(`setting up the network of sandbox ${sandboxId}`, err);
      }
    });
  }

  /**
   * Removes the sandbox's veth, namespace and address. Repeating it, or calling it for a sandbox
   * that never had a network (hostNetwork), is harmless.
   */
  tearDown(sandboxId: string): Promise<void> {
    checkSandboxId(sandboxId);
    return this.sandboxLocks.run(sandboxId, async () => {
      // The forwards first: once the address is released another pod may get it.
      await this.unforwardHostPorts(sandboxId);
      if (this.ip !== undefined) await this.removeKernelObjects(this.ip, sandboxId);
      await this.ipam.release(sandboxId);
    });
  }

  /**
   * Tears down every sandbox this network knows (by IPAM record or by a veth routing to its pod
   * CIDR) that is not in `liveSandboxIds`, and returns their ids. The caller must count sandboxes
   * still being created as live.
   */
  async reconcile(liveSandboxIds: Iterable<string>): Promise<string[]> {
    const live = new Set(liveSandboxIds);
    const leaked = new Set(
      [...(await this.ipam.allocations()).keys()].filter((id) => !live.has(id)),
    );
    if (this.ip !== undefined) {
      // Several runtimes may share the host (`skiff up --nodes`): a veth is ours if it routes to
      // our pod CIDR. (Ports of our bridge are veths of a runtime from before routed veths.)
      const ours = await this.ip.routeDevices(this.podCidr.text);
      for (const veth of await this.ip.links(['type', 'veth'])) {
        if (!ours.has(veth.name) && veth.master !== this.bridgeName) continue;
        const id = sandboxIdFromAlias(veth.alias);
        if (id !== undefined && !live.has(id)) leaked.add(id);
      }
    }
    // Forwards of sandboxes that are gone (the runtime died while removing one, or their address
    // was released by hand) would send a host port to whichever pod gets the address next.
    try {
      for (const id of (await this.hostPorts?.ownersNow()) ?? []) if (!live.has(id)) leaked.add(id);
    } catch (err) {
      // Not fatal to the runtime: pods without host ports work without the tool.
      this.log(`reading host port forwards: ${(err as Error).message}`);
    }
    const failures: string[] = [];
    for (const id of leaked) {
      try {
        await this.tearDown(id);
        this.log(`removed the network of sandbox ${id}, which no longer exists`);
      } catch (err) {
        failures.push(`${id}: ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `reconciling pod networks left ${failures.length} behind: ${failures.join('; ')}`,
      );
    }
    return [...leaked];
  }

  /** The sandbox's address, if IPAM holds one for it. */
  addressOf(sandboxId: string): Promise<string | undefined> {
    return this.ipam.lookup(sandboxId);
  }

  async status(): Promise<NetworkStatus> {
    if (this.ip === undefined) {
      return {
        ready: false,
        reason: 'IprouteMissing',
        message: '`ip` is not on PATH (Debian package iproute2); pods cannot get a network',
      };
    }
    if (this.lastHostError !== undefined) {
      return { ready: false, reason: 'BridgeSetupFailed', message: this.lastHostError };
    }
    let bridge;
    try {
      bridge = await this.ip.link(this.bridgeName);
    } catch (err) {
      return { ready: false, reason: 'BridgeNotReady', message: (err as Error).message };
    }
    if (bridge === undefined || !bridge.up) {
      return {
        ready: false,
        reason: 'BridgeNotReady',
        message: `bridge ${this.bridgeName} is ${bridge ? 'down' : 'missing'}; init() creates it`,
      };
    }
    switch (this.nat.phase) {
      case 'unavailable':
        return { ready: true, reason: this.nat.code, message: this.nat.reason };
      case 'failed':
        return { ready: true, reason: 'OutboundNATFailed', message: this.nat.error };
      default:
        return { ready: true };
    }
  }

  /** Which NAT backend is in use, or undefined when pods run without outbound NAT. */
  get natTool(): 'iptables' | 'nft' | undefined {
    return this.natBackend?.tool;
  }

  /**
   * Removes the node side: NAT rules and the bridge. For uninstalling and tests; pods still
   * attached lose connectivity, so tear them down first.
   */
  uninstall(): Promise<void> {
    return this.hostLock.run(async () => {
      await this.hostPorts?.uninstall();
      if (this.natBackend !== undefined) await this.natBackend.remove(this.natRule());
      if (this.natBackend !== undefined) this.nat = { phase: 'pending' };
      if (this.ip !== undefined) await removeBridge(this.ip, this.bridgeName);
    });
  }

  private async ensureHost(): Promise<void> {
    const ip = this.requireIp();
    try {
      await ensureBridge(ip, this.bridgeName, this.podCidr);
      this.lastHostError = undefined;
    } catch (err) {
      this.lastHostError = `preparing bridge ${this.bridgeName}: ${(err as Error).message}`;
      throw new Error(this.lastHostError, { cause: err });
    }
    await this.ensureNat();
  }

  // NAT is best effort: a pod without a way out is still a working pod, so a missing tool or a
  // refused rule is logged and shown in status(), never thrown at the pod's creator.
  private async ensureNat(): Promise<void> {
    if (this.nat.phase === 'installed') return;
    if (this.nat.phase === 'unavailable') {
      // Said once; from then on status() carries the news.
      if (!this.natSkipLogged) this.log(`outbound NAT skipped: ${this.nat.reason}`);
      this.natSkipLogged = true;
      return;
    }
    const backend = this.natBackend;
    if (backend === undefined) return;
    try {
      await enableIpv4Forwarding();
      await backend.ensure(this.natRule());
      this.nat = { phase: 'installed', backend };
    } catch (err) {
      const error = `outbound NAT with ${backend.tool} failed: ${(err as Error).message}`;
      if (this.nat.phase !== 'failed' || this.nat.error !== error) this.log(error);
      this.nat = { phase: 'failed', backend, error };
    }
  }

  /** Which tool forwards host ports, or undefined when none can. */
  get hostPortTool(): 'iptables' | 'nft' | undefined {
    return this.hostPorts?.tool;
  }

  private async forwardHostPorts(
    sandboxId: string,
    pod: PodNetworkAttachment,
    mappings: readonly HostPortMapping[],
  ): Promise<void> {
    if (mappings.length === 0) return;
    if (this.hostPorts === undefined) {
      throw new Error(
        'the pod asks for host ports, but neither nft nor iptables is on PATH (Debian packages nftables or iptables)',
      );
    }
    // Connections from other machines are routed through the node to the pod: forwarding must
    // be on even where outbound NAT is off.
    await enableIpv4Forwarding();
    await allowLocalnetRouting(pod.hostInterfaceName);
    await this.hostPorts.set(sandboxId, pod.ip, mappings);
  }

  private async unforwardHostPorts(sandboxId: string): Promise<void> {
    await this.hostPorts?.remove(sandboxId);
  }

  private natRule(): NatRule {
    return { podCidr: this.podCidr.text, bridge: this.bridgeName };
  }

  private async createKernelObjects(
    ip: Iproute,
    sandboxId: string,
    attachment: Omit<PodNetworkAttachment, 'hostInterfaceName'>,
    rollback: Rollback,
    onNamespace: SetUpOptions['onNamespace'],
  ): Promise<string> {
    const ns = netnsName(sandboxId);
    await ip.run(['netns', 'add', ns]);
    rollback.add(`delete netns ${ns}`, () => ip.run(['netns', 'delete', ns]));
    onNamespace?.(attachment.netnsPath);
    const hostVeth = await this.addVethPair(ip, sandboxId, ns);
    rollback.add(`delete veth ${hostVeth}`, () => ip.run(['link', 'delete', 'dev', hostVeth]));
    await this.matchGso(hostVeth, attachment.netnsPath);
    await this.attachFastPath(hostVeth);

    // Each end is configured by one `ip` process (a batch in its namespace), and the two run at
    // once: nothing on one end waits for the other.
    const { ip: podIp, gateway, prefixLength } = attachment;
    await together([
      ip.batch([
        // The gateway on the host end, so the pod's ARP for it is answered on the link it asks
        // on, and so the node speaks to the pod (probes, hostPort masquerades) from the gateway.
        ['addr', 'add', `${gateway}/32`, 'dev', hostVeth],
        ['link', 'set', 'dev', hostVeth, 'up'],
        ['route', 'replace', `${podIp}/32`, 'dev', hostVeth, 'src', gateway],
        // Last: inspect takes a veth with the alias for a finished one. Should the runtime die
        // before, the veth is still not leaked: deleting the namespace (which IPAM's record leads
        // reconcile to) destroys eth0 and with it the pair.
        ['link', 'set', 'dev', hostVeth, 'alias', vethAlias(sandboxId)],
      ]),
      ip.batch(
        [
          ['link', 'set', 'dev', 'lo', 'up'],
          // No subnet route: every other pod, even on this node, is reached through the gateway,
          // as the node holds a route to each pod and nothing answers ARP for a pod on this link.
          ['addr', 'add', `${podIp}/${prefixLength}`, 'dev', podInterfaceName, 'noprefixroute'],
          ['link', 'set', 'dev', podInterfaceName, 'up'],
          ['route', 'add', gateway, 'dev', podInterfaceName, 'scope', 'link'],
          ['route', 'add', 'default', 'via', gateway, 'dev', podInterfaceName],
        ],
        ns,
      ),
    ]);
    return hostVeth;
  }

  /**
   * BIG TCP for the pod when every other link of the node has it (pod-gso.ts). Best effort: a
   * pod at the default size is a working pod, only slower per byte.
   */
  private async matchGso(hostVeth: string, podNetnsPath: string): Promise<void> {
    try {
      await matchPodGsoToNode({
        bridgeName: this.bridgeName,
        hostInterface: hostVeth,
        podInterface: podInterfaceName,
        podNetnsPath,
      });
    } catch (err) {
      this.log(`pod veth ${hostVeth} keeps the default GSO size: ${errorMessage(err)}`);
    }
  }

  /**
   * The pod network's fast path on the pod's veth, when podnet has pinned one for this node
   * (pod-fast-path.ts). Best effort: without it the pod's packets cross the node's stack.
   */
  private async attachFastPath(hostVeth: string): Promise<void> {
    try {
      await attachFastPathToPod(hostVeth);
    } catch (err) {
      this.log(`pod veth ${hostVeth} goes without the pod fast path: ${errorMessage(err)}`);
    }
  }

  /**
   * Creates the veth pair, the pod end directly inside the namespace under its final name (no
   * temporary host-side name that could collide, and no window where a half-made pod end sits in
   * the host namespace). Returns the host end's name: the first candidate not taken.
   */
  private async addVethPair(ip: Iproute, sandboxId: string, ns: string): Promise<string> {
    const mtu = this.mtu === undefined ? [] : ['mtu', String(this.mtu)];
    const candidates = hostVethCandidates(sandboxId);
    for (const hostVeth of candidates) {
      const hostEnd = [hostVeth, ...mtu];
      const podEnd = [podInterfaceName, ...mtu, 'netns', ns];
      try {
        await ip.run(['link', 'add', ...hostEnd, 'type', 'veth', 'peer', 'name', ...podEnd]);
        return hostVeth;
      } catch (err) {
        // The namespace is new and empty, so "exists" can only be the host name: another
        // sandbox's hash collided with ours. Rare enough to learn by trying.
        if (!/File exists/.test((err as Error).message)) throw err;
      }
    }
    throw new Error(
      `every host veth name for sandbox ${sandboxId} is taken: ${candidates.join(', ')}`,
    );
  }

  /** The attachment if every piece of it is in place, else undefined. */
  private async inspect(
    ip: Iproute,
    sandboxId: string,
    expected: Omit<PodNetworkAttachment, 'hostInterfaceName'>,
  ): Promise<PodNetworkAttachment | undefined> {
    const ns = netnsName(sandboxId);
    if (!(await ip.netnsExists(ns))) return undefined;
    const hostVeth = (await ip.links(['type', 'veth'])).find(
      (l) => l.alias === vethAlias(sandboxId),
    );
    if (hostVeth === undefined || !hostVeth.up) return undefined;
    const podLink = await ip.link(podInterfaceName, ns);
    if (podLink === undefined || !podLink.up) return undefined;
    const addresses = await ip.ipv4Addresses(podInterfaceName, ns);
    const hasAddress = addresses.some(
      (a) => a.address === expected.ip && a.prefixLength === expected.prefixLength,
    );
    if (!hasAddress || (await ip.defaultGateway(ns)) !== expected.gateway) return undefined;
    return { ...expected, hostInterfaceName: hostVeth.name };
  }

  private async removeKernelObjects(ip: Iproute, sandboxId: string): Promise<void> {
    const ns = netnsName(sandboxId);
    if (await ip.netnsExists(ns)) {
      // Deleting the pod's end deletes its host peer with it, so the host end need not be looked
      // up. Deleting only the namespace would destroy the pair too, but later, in the kernel's
      // own time; callers expect the veth gone when tearDown returns.
      const podEnd = await ip.tryRun(['-n', ns, 'link', 'delete', 'dev', podInterfaceName]);
      await ip.run(['netns', 'delete', ns]);
      if (podEnd.exitCode === 0 || /Cannot find device/.test(podEnd.stderr)) return;
    }
    // No namespace (or its eth0 could not be deleted): a host end may still exist, e.g. when the
    // namespace was unmounted by hand while a process held it. Find it by its alias.
    for (const link of await ip.links(['type', 'veth'])) {
      if (link.alias !== vethAlias(sandboxId)) continue;
      const deleted = await ip.tryRun(['link', 'delete', 'dev', link.name]);
      // Gone meanwhile is fine: the kernel may have just destroyed it with its namespace.
      if (deleted.exitCode !== 0 && !/Cannot find device/.test(deleted.stderr)) {
        throw new Error(`deleting veth ${link.name}: ${deleted.stderr.trim()}`);
      }
    }
  }

  private attachment(
    sandboxId: string,
    ip: string,
  ): Omit<PodNetworkAttachment, 'hostInterfaceName'> {
    return {
      hostNetwork: false,
      netnsPath: netnsPath(sandboxId),
      ip,
      gateway: formatIpv4(this.podCidr.gateway),
      prefixLength: this.podCidr.prefixLength,
      interfaceName: podInterfaceName,
    };
  }

  private requireIp(): Iproute {
    if (this.ip === undefined) {
      throw new Error('pod networking needs `ip` on PATH (Debian package iproute2)');
    }
    return this.ip;
  }
}
