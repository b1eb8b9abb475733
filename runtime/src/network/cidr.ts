// IPv4 CIDR arithmetic for the pod network. Addresses are handled as unsigned 32-bit integers so
// "the next free address" is plain counting.

export interface Ipv4Cidr {
  /** The CIDR as given, e.g. "10.88.0.0/16". */
  readonly text: string;
  readonly network: number;
  readonly prefixLength: number;
  readonly broadcast: number;
  /** The bridge's address: the first address after the network address. */
  readonly gateway: number;
}

/**
 * Parses "a.b.c.d/n". Host bits must be zero (a node's podCIDR always is), and the range must hold
 * at least one pod besides the network, gateway and broadcast addresses, so /31 and /32 are refused.
 */
export function parseCidr(text: string): Ipv4Cidr {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`invalid pod CIDR "${text}": want a.b.c.d/n`);
  const address = parseIpv4(match[1]);
  const prefixLength = Number(match[2]);
  if (prefixLength > 30) {
    throw new Error(`invalid pod CIDR "${text}": /${prefixLength} leaves no address for a pod`);
  }
  const hostMask = prefixLength === 0 ? 0xffffffff : 2 ** (32 - prefixLength) - 1;
  const network = address - (address % (hostMask + 1));
  if (network !== address) {
    throw new Error(
      `invalid pod CIDR "${text}": host bits are set (did you mean ${formatIpv4(network)}/${prefixLength}?)`,
    );
  }
  return { text, network, prefixLength, broadcast: network + hostMask, gateway: network + 1 };
}

export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${text}"`);
  let value = 0;
  for (const part of parts) {
    const octet = /^\d{1,3}$/.test(part) ? Number(part) : NaN;
    if (!(octet >= 0 && octet <= 255)) throw new Error(`invalid IPv4 address "${text}"`);
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The addresses pods may get: everything but the network, gateway and broadcast addresses. */
export function podAddressRange(cidr: Ipv4Cidr): { readonly first: number; readonly last: number } {
  return { first: cidr.gateway + 1, last: cidr.broadcast - 1 };
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address <= cidr.broadcast;
}
