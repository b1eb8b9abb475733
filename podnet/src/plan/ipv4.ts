// IPv4 addresses and CIDRs as numbers: enough arithmetic to ask "is this node on my segment?" and
// "which address is a subnet's own?" without a dependency. The pod network is IPv4 only for now.

export interface Ipv4Cidr {
  /** The network address (host bits cleared), as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefixLength: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function mask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** `10.244.1.0/24` (or an interface address `192.168.1.5/24`: its host bits are cleared). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const [address, prefix, ...rest] = text.split('/');
  if (address === undefined || prefix === undefined || rest.length > 0) return undefined;
  const ip = parseIpv4(address);
  if (ip === undefined || !/^\d{1,2}$/.test(prefix)) return undefined;
  const prefixLength = Number(prefix);
  if (prefixLength > 32) return undefined;
  return { network: (ip & mask(prefixLength)) >>> 0, prefixLength };
}

export function cidrContains(cidr: Ipv4Cidr, ip: number): boolean {
  return (ip & mask(cidr.prefixLength)) >>> 0 === cidr.network;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrContains(a, b.network) || cidrContains(b, a.network);
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
}
