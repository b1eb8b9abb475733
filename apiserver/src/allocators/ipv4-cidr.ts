// IPv4 CIDR arithmetic for the service range. skiff clusters are single-stack IPv4, so this is
// all the address math the apiserver needs.

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefixLength: number;
  /** Number of addresses in the block, network and broadcast included. */
  readonly size: number;
  readonly text: string;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255 || (part.length > 1 && part.startsWith('0'))) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const [ip, bits, ...extra] = text.split('/');
  const address = ip === undefined ? undefined : parseIpv4(ip);
  const prefixLength = Number(bits);
  if (
    address === undefined ||
    extra.length > 0 ||
    bits === undefined ||
    !/^\d+$/.test(bits) ||
    prefixLength > 30
  ) {
    throw new Error(
      `invalid service CIDR ${JSON.stringify(text)}: want an IPv4 CIDR such as 10.96.0.0/12 (at most /30)`,
    );
  }
  const size = 2 ** (32 - prefixLength);
  const base = address - (address % size);
  return { base, prefixLength, size, text: `${formatIpv4(base)}/${prefixLength}` };
}
