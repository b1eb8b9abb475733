// The pod fast path's two BPF programs (decision 0023), assembled for one node: its podCIDR and
// the cluster's pod range are constants in their instructions. Cilium calls the same idea
// "BPF host routing": a packet between a pod and a pod on another node skips the node's IP
// forwarding and netfilter, the per-packet work that made a pod's path slower than the node's.
//
//   to-nodes   on each pod's host-side veth (ingress: packets the pod sends). Towards a pod on
//              another node, it forwards the packet itself: the kernel's route lookup
//              (bpf_fib_lookup), TTL − 1, the next hop's MACs, out of the route's device.
//   to-pods    on the uplink (and the VXLAN device), ingress. From a pod elsewhere to a pod
//              here: the same, then straight into the pod's namespace (bpf_redirect_peer skips
//              the host veth's queue as well).
//
// What keeps Services and everything else exact: a packet is only taken when
//   - it is IPv4 TCP or UDP without IP options or fragments, with a TTL above 1;
//   - both ends are pod addresses (the cluster range), the remote end on another node;
//   - the node's connection tracking has no entry for its connection (bpf_skb_ct_lookup).
//     A Service's DNAT, a NodePort's, or a masquerade lives in such an entry, so its packets
//     keep crossing netfilter both ways. A connection whose first packet was taken never gets an
//     entry, so all of it is taken, both ways: conntrack never sees half a connection;
//   - the kernel's route lookup forwards it and knows the next hop's MAC (else the stack does,
//     which also resolves the neighbour for the next packet).
// Anything else gets TC_ACT_UNSPEC: on to the next filter, or the normal stack.
import { ipv4CidrContains, parseIpv4Cidr, type Ipv4Cidr } from '@skiff/api';
import { Assembler, FP, type Register } from '@skiff/runtime/bpf';

/** Counters in the program's per-CPU array map, by index. */
export const COUNTER = {
  toNodesPackets: 0,
  toNodesBytes: 1,
  toPodsPackets: 2,
  toPodsBytes: 3,
} as const;
export const COUNTER_ENTRIES = 4;

export interface FastPathConstants {
  /** --cluster-cidr: every pod address in the cluster. */
  readonly clusterCIDR: string;
  /** This node's spec.podCIDR. */
  readonly podCIDR: string;
  /** BTF ids of the kernel's bpf_skb_ct_lookup and bpf_ct_release (btf.ts). */
  readonly ctLookupId: number;
  readonly ctReleaseId: number;
  /** The per-CPU counter map (COUNTER). */
  readonly countersFd: number;
}

export interface FastPathPrograms {
  readonly toNodes: Buffer;
  readonly toPods: Buffer;
}

const HELPER = {
  mapLookupElem: 1,
  skbStoreBytes: 9,
  l3CsumReplace: 10,
  redirect: 23,
  fibLookup: 69,
  redirectPeer: 155,
} as const;

const TC_ACT_UNSPEC = -1;

/** struct __sk_buff fields the programs read. */
const SKB = { len: 0, ingressIfindex: 36, data: 76, dataEnd: 80 } as const;

/** Offsets in the frame: Ethernet, then an IPv4 header of 20 bytes (no options), then ports. */
const ETH_PROTO = 12;
const IP = 14;
const IP_VERSION_IHL = IP + 0;
const IP_TOS = IP + 1;
const IP_FRAGMENT = IP + 6;
const IP_TTL = IP + 8;
const IP_PROTOCOL = IP + 9;
const IP_CHECKSUM = IP + 10;
const IP_SADDR = IP + 12;
const IP_DADDR = IP + 16;
const L4_PORTS = IP + 20;
const HEADERS_END = L4_PORTS + 4;

/** Bytes as a little-endian load sees them: ETH_P_IP is 08 00 on the wire. */
const ETH_P_IP_LOADED = 0x0008;
/** The flags-and-offset field's MF bit and offset (0x3fff) as loaded: a fragment. */
const FRAGMENT_LOADED = 0xff3f;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const AF_INET = 2;
const BPF_F_CURRENT_NETNS = -1;

/** The stack frame: struct bpf_fib_lookup, the conntrack tuple and options, scratch. */
const FIB = -64;
const FIB_SIZE = 64;
const FIB_FAMILY = FIB + 0;
const FIB_L4_PROTOCOL = FIB + 1;
const FIB_PORTS = FIB + 2;
const FIB_IFINDEX = FIB + 8;
const FIB_TOS = FIB + 12;
const FIB_SRC = FIB + 16;
const FIB_DST = FIB + 32;
const FIB_SMAC = FIB + 52;
const FIB_DMAC = FIB + 58;
const TUPLE = -80;
const TUPLE_SIZE = 12;
const CT_OPTS = -96;
const CT_OPTS_SIZE = 16;
const SCRATCH = -104;

/** Registers that survive calls (r6–r9), named by what the programs keep in them. */
const SKB_REG: Register = 6;
const PROTOCOL: Register = 7;
const SADDR: Register = 8;
const DADDR: Register = 9;

export function assembleFastPath(constants: FastPathConstants): FastPathPrograms {
  const cluster = requireCidr(constants.clusterCIDR, '--cluster-cidr');
  const pods = requireCidr(constants.podCIDR, "the node's podCIDR");
  if (!ipv4CidrContains(cluster, pods.network) || !ipv4CidrContains(cluster, pods.broadcast)) {
    throw new Error(
      `podCIDR ${constants.podCIDR} is not inside --cluster-cidr ${constants.clusterCIDR}`,
    );
  }

  const toNodes = new Assembler();
  parseHeaders(toNodes);
  // Towards a pod on another node: the destination in the cluster range, not in ours.
  jumpUnlessIn(toNodes, DADDR, cluster, 'pass');
  jumpIfIn(toNodes, DADDR, pods, 'pass');
  forward(toNodes, constants, 'toNodes');

  const toPods = new Assembler();
  parseHeaders(toPods);
  // From a pod (anywhere) to one of ours.
  jumpUnlessIn(toPods, SADDR, cluster, 'pass');
  jumpUnlessIn(toPods, DADDR, pods, 'pass');
  forward(toPods, constants, 'toPods');

  return { toNodes: toNodes.assemble(), toPods: toPods.assemble() };
}

/**
 * Loads the packet's protocol and addresses into PROTOCOL, SADDR and DADDR (as loaded: network
 * byte order in the register's low bytes), or jumps to `pass` for anything not taken.
 */
function parseHeaders(a: Assembler): void {
  a.mov(SKB_REG, 1);
  a.load(4, 2, SKB_REG, SKB.data);
  a.load(4, 3, SKB_REG, SKB.dataEnd);
  a.mov(4, 2).aluImm('add', 4, HEADERS_END).jump('gt', 4, 3, 'pass');
  a.load(2, 4, 2, ETH_PROTO).jumpImm('ne', 4, ETH_P_IP_LOADED, 'pass');
  a.load(1, 4, 2, IP_VERSION_IHL).jumpImm('ne', 4, 0x45, 'pass');
  a.load(2, 4, 2, IP_FRAGMENT).jumpImm('set', 4, FRAGMENT_LOADED, 'pass');
  a.load(1, 4, 2, IP_TTL).jumpImm('le', 4, 1, 'pass');
  a.load(1, PROTOCOL, 2, IP_PROTOCOL);
  a.jumpImm('eq', PROTOCOL, IPPROTO_TCP, 'transport');
  a.jumpImm('ne', PROTOCOL, IPPROTO_UDP, 'pass');
  a.label('transport');
  a.load(4, SADDR, 2, IP_SADDR);
  a.load(4, DADDR, 2, IP_DADDR);
}

/**
 * The shared tail: skip connections conntrack knows, look up the route, rewrite the frame as a
 * router would and redirect it (to-nodes: out of the route's device; to-pods: into the pod).
 */
function forward(
  a: Assembler,
  constants: FastPathConstants,
  direction: 'toNodes' | 'toPods',
): void {
  // The conntrack tuple (addresses and ports as on the wire) and options.
  a.load(4, 2, SKB_REG, SKB.data);
  a.load(4, 3, SKB_REG, SKB.dataEnd);
  a.mov(4, 2).aluImm('add', 4, HEADERS_END).jump('gt', 4, 3, 'pass');
  a.store(4, FP, TUPLE, SADDR);
  a.store(4, FP, TUPLE + 4, DADDR);
  a.load(4, 4, 2, L4_PORTS).store(4, FP, TUPLE + 8, 4);
  a.storeImm(8, FP, CT_OPTS, 0).storeImm(8, FP, CT_OPTS + 8, 0);
  a.storeImm(4, FP, CT_OPTS, BPF_F_CURRENT_NETNS);
  a.store(1, FP, CT_OPTS + 8, PROTOCOL);
  // The fib lookup's parameters, while the packet pointer is valid.
  for (let offset = 0; offset < FIB_SIZE; offset += 8) a.storeImm(8, FP, FIB + offset, 0);
  a.storeImm(1, FP, FIB_FAMILY, AF_INET);
  a.store(1, FP, FIB_L4_PROTOCOL, PROTOCOL);
  // (The stack is read and written aligned: sport and dport go in apart.)
  a.load(2, 4, 2, L4_PORTS).store(2, FP, FIB_PORTS, 4);
  a.load(2, 4, 2, L4_PORTS + 2).store(2, FP, FIB_PORTS + 2, 4);
  a.load(1, 4, 2, IP_TOS).store(1, FP, FIB_TOS, 4);
  a.store(4, FP, FIB_SRC, SADDR);
  a.store(4, FP, FIB_DST, DADDR);
  a.load(4, 4, SKB_REG, SKB.ingressIfindex).store(4, FP, FIB_IFINDEX, 4);

  // Known to conntrack (NAT, or a connection the stack saw first): the stack's.
  a.mov(1, SKB_REG);
  a.mov(2, FP).aluImm('add', 2, TUPLE);
  a.movImm(3, TUPLE_SIZE);
  a.mov(4, FP).aluImm('add', 4, CT_OPTS);
  a.movImm(5, CT_OPTS_SIZE);
  a.callKernel(constants.ctLookupId);
  a.jumpImm('eq', 0, 0, 'untracked');
  a.mov(1, 0).callKernel(constants.ctReleaseId);
  a.goto('pass');
  a.label('untracked');

  // The route: forwarded, with a resolved next hop, or the stack's.
  a.mov(1, SKB_REG);
  a.mov(2, FP).aluImm('add', 2, FIB);
  a.movImm(3, FIB_SIZE);
  a.movImm(4, 0);
  a.call(HELPER.fibLookup);
  a.jumpImm('ne', 0, 0, 'pass');

  // TTL − 1 and the checksum: the TTL and protocol bytes as one 16-bit word, the TTL its low byte.
  a.load(4, 2, SKB_REG, SKB.data);
  a.load(4, 3, SKB_REG, SKB.dataEnd);
  a.mov(4, 2).aluImm('add', 4, HEADERS_END).jump('gt', 4, 3, 'pass');
  a.load(2, PROTOCOL, 2, IP_TTL);
  a.mov(SADDR, PROTOCOL).aluImm('sub', SADDR, 1);
  a.mov(1, SKB_REG).movImm(2, IP_CHECKSUM).mov(3, PROTOCOL).mov(4, SADDR).movImm(5, 2);
  a.call(HELPER.l3CsumReplace);
  a.store(2, FP, SCRATCH, SADDR);
  storeBytes(a, IP_TTL, SCRATCH, 1);
  // The next hop's MAC as destination, the outgoing device's as source.
  storeBytes(a, 0, FIB_DMAC, 6);
  storeBytes(a, 6, FIB_SMAC, 6);

  count(a, constants.countersFd, COUNTER[`${direction}Packets`], 'one');
  count(a, constants.countersFd, COUNTER[`${direction}Bytes`], 'length');

  a.load(4, 1, FP, FIB_IFINDEX).movImm(2, 0);
  a.call(direction === 'toNodes' ? HELPER.redirect : HELPER.redirectPeer);
  a.exit();

  a.label('pass').returnImm(TC_ACT_UNSPEC);
}

/** bpf_skb_store_bytes(skb, offset, frame + from, length, 0). */
function storeBytes(a: Assembler, offset: number, from: number, length: number): void {
  a.mov(1, SKB_REG).movImm(2, offset);
  a.mov(3, FP).aluImm('add', 3, from);
  a.movImm(4, length).movImm(5, 0);
  a.call(HELPER.skbStoreBytes);
}

/** Adds 1 or the packet's length to a per-CPU counter (per CPU, so no atomic is needed). */
function count(a: Assembler, mapFd: number, index: number, amount: 'one' | 'length'): void {
  const done = `counted-${index}`;
  a.storeImm(4, FP, SCRATCH, index);
  a.loadMap(1, mapFd);
  a.mov(2, FP).aluImm('add', 2, SCRATCH);
  a.call(HELPER.mapLookupElem);
  a.jumpImm('eq', 0, 0, done);
  a.load(8, 1, 0, 0);
  if (amount === 'one') a.aluImm('add', 1, 1);
  else a.load(4, 2, SKB_REG, SKB.len).alu('add', 1, 2);
  a.store(8, 0, 0, 1);
  a.label(done);
}

/** Jumps to `label` unless `reg` (an address as loaded) is inside `cidr`. */
function jumpUnlessIn(a: Assembler, reg: Register, cidr: Ipv4Cidr, label: string): void {
  const { mask, network } = loaded(cidr);
  a.mov(1, reg).aluImm('and', 1, mask).jumpImm('ne', 1, network, label, false);
}

/** Jumps to `label` if `reg` (an address as loaded) is inside `cidr`. */
function jumpIfIn(a: Assembler, reg: Register, cidr: Ipv4Cidr, label: string): void {
  const { mask, network } = loaded(cidr);
  a.mov(1, reg).aluImm('and', 1, mask).jumpImm('eq', 1, network, label, false);
}

/**
 * A CIDR's mask and network as a little-endian 32-bit load of the address bytes sees them: the
 * programs compare addresses without swapping their bytes.
 */
function loaded(cidr: Ipv4Cidr): { mask: number; network: number } {
  const mask = cidr.prefixLength === 0 ? 0 : (0xffffffff << (32 - cidr.prefixLength)) >>> 0;
  const swap = (value: number): number => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value >>> 0, 0);
    return bytes.readInt32LE(0);
  };
  return { mask: swap(mask), network: swap(cidr.network) };
}

function requireCidr(text: string, what: string): Ipv4Cidr {
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined) throw new Error(`${what} ${JSON.stringify(text)} is not an IPv4 CIDR`);
  return cidr;
}
