// The node CIDRs a cluster CIDR splits into (Kubernetes' cidrset): 10.244.0.0/16 with mask 24
// gives 256 subnets 10.244.0.0/24 … 10.244.255.0/24, addressed here by their index. IPv4 only.
import { formatIpv4, parseIpv4Cidr } from '@skiff/api';

export interface CidrSet {
  /** How many node subnets there are. */
  readonly size: number;
  /** The subnet at `index`, as `a.b.c.d/mask`. */
  subnet(index: number): string;
  /** The index of `cidr` if it is one of the subnets exactly, else undefined. */
  indexOf(cidr: string): number | undefined;
}

export function parseCidrSet(clusterCidr: string, nodeMaskSize: number): CidrSet {
  const [base, bits] = parseCidr(clusterCidr);
  if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < bits || nodeMaskSize > 32) {
    throw new Error(
      `--node-cidr-mask-size ${nodeMaskSize} must be between the cluster CIDR's ${bits} and 32`,
    );
  }
  if (nodeMaskSize - bits > 24) {
    throw new Error(
      `--node-cidr-mask-size ${nodeMaskSize}: more than 2^24 node CIDRs in ${clusterCidr}`,
    );
  }
  const step = 2 ** (32 - nodeMaskSize);
  const size = 2 ** (nodeMaskSize - bits);
  return {
    size,
    subnet: (index) => `${formatIpv4(base + index * step)}/${nodeMaskSize}`,
    indexOf: (cidr) => {
      let parsed: [number, number];
      try {
        parsed = parseCidr(cidr);
      } catch {
        return undefined; // not an IPv4 CIDR (an IPv6 one of a dual-stack node): not ours
      }
      const [ip, mask] = parsed;
      if (mask !== nodeMaskSize || ip < base || (ip - base) % step !== 0) return undefined;
      const index = (ip - base) / step;
      return index < size ? index : undefined;
    },
  };
}

/** `10.244.0.0/16` → [network address as a number, 16]; throws on anything else. */
function parseCidr(text: string): [number, number] {
  const cidr = parseIpv4Cidr(text);
  if (cidr === undefined) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(text)}`);
  if (cidr.address !== cidr.network) throw new Error(`${text} has host bits set`);
  return [cidr.network, cidr.prefixLength];
}
