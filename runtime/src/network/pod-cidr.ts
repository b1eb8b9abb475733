// The pod network's address block (`--pod-cidr`, or the node's spec.podCIDR): which addresses the
// bridge and the pods get. The arithmetic is @skiff/api's; this file is the pod network's policy.
import { formatIpv4, type Ipv4Cidr, parseIpv4Cidr, requireIpv4 } from '@skiff/api';

/** The pod CIDR of a node whose runtime is given none (`skiff runtime`, `skiff up`'s first node). */
export const DEFAULT_POD_CIDR = '10.88.0.0/16';

export interface PodCidr extends Ipv4Cidr {
  /** The CIDR as given, e.g. "10.88.0.0/16". */
  readonly text: string;
  /** The bridge's address: the first address after the network address. */
  readonly gateway: number;
}

/**
 * Parses "a.b.c.d/n". Host bits must be zero (a node's podCIDR always is), and the range must hold
 * at least one pod besides the network, gateway and broadcast addresses, so /31 and /32 are refused.
 */
export function parsePodCidr(text: string): PodCidr {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`invalid pod CIDR "${text}": want a.b.c.d/n`);
  requireIpv4(match[1]);
  if (Number(match[2]) > 30) {
    throw new Error(`invalid pod CIDR "${text}": /${match[2]} leaves no address for a pod`);
  }
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined) throw new Error(`invalid pod CIDR "${text}": want a.b.c.d/n`);
  if (cidr.network !== cidr.address) {
    throw new Error(
      `invalid pod CIDR "${text}": host bits are set (did you mean ${formatIpv4(cidr.network)}/${cidr.prefixLength}?)`,
    );
  }
  return { ...cidr, text, gateway: cidr.network + 1 };
}

/** The addresses pods may get: everything but the network, gateway and broadcast addresses. */
export function podAddressRange(cidr: PodCidr): { readonly first: number; readonly last: number } {
  return { first: cidr.gateway + 1, last: cidr.broadcast - 1 };
}
