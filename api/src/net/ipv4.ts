// IPv4 addresses and CIDRs as unsigned 32-bit numbers, so "the next free address", "is this node on
// my segment?" and "do these ranges overlap?" are plain arithmetic. One copy for every component
// that does address math (the service range, node CIDRs, pod addresses, routes); each keeps its
// own policy (which prefix lengths it accepts, whether host bits may be set) and its own messages.
// skiff clusters are single-stack IPv4, so there is no IPv6 counterpart yet.

export interface Ipv4Cidr {
  /** The address as written, e.g. 10.244.1.7 in `10.244.1.7/24`. */
  readonly address: number;
  /** The network address: `address` with its host bits cleared. */
  readonly network: number;
  readonly prefixLength: number;
  /** How many addresses the block holds, network and broadcast included. */
  readonly size: number;
  /** The last address of the block. */
  readonly broadcast: number;
}

/**
 * `10.96.0.1` → its number; undefined for anything else. Octets with a leading zero are refused,
 * as Go's net.ParseIP (and so Kubernetes' validation) refuses them: `010` could be read as octal.
 */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** parseIpv4 for an address that must be one (a flag, a recorded allocation): throws otherwise. */
export function requireIpv4(text: string): number {
  const address = parseIpv4(text);
  if (address === undefined) throw new Error(`invalid IPv4 address "${text}"`);
  return address;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `a.b.c.d/n` → the block; undefined for anything else. Host bits may be set (`address` keeps them). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const [ip, bits, ...extra] = text.split('/');
  if (ip === undefined || bits === undefined || extra.length > 0) return undefined;
  const address = parseIpv4(ip);
  if (address === undefined || !/^(0|[1-9]\d?)$/.test(bits)) return undefined;
  const prefixLength = Number(bits);
  if (prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  const network = address - (address % size);
  return { address, network, prefixLength, size, broadcast: network + size - 1 };
}

/** The block in its canonical form, `network/prefixLength`. */
export function formatIpv4Cidr(cidr: Pick<Ipv4Cidr, 'network' | 'prefixLength'>): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
}

export function ipv4CidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address <= cidr.broadcast;
}

export function ipv4CidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return ipv4CidrContains(a, b.network) || ipv4CidrContains(b, a.network);
}
