// Which addresses accept NodePort traffic (--nodeport-addresses): the node's own addresses
// (InternalIP and ExternalIP from its status) by default or with `primary`, or those within the
// given CIDRs; plus 127.0.0.1 for localhost node ports (unless `primary`, or CIDRs without it),
// as kube-proxy's iptables mode offers them.
import type { Node } from '@skiff/api';
import { BlockList, isIPv4 } from 'node:net';

export function nodePortAddresses(
  node: Readonly<Node> | undefined,
  cidrs: readonly string[],
  localhostNodePorts: boolean,
): string[] {
  const own = (node?.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => a.address)
    .filter((ip) => isIPv4(ip));
  const candidates = [...new Set(own)];
  const ranges = cidrs.filter((c) => c !== 'primary');
  // `primary` means the node's own addresses: loopback is not one of them (as kube-proxy, where
  // a --nodeport-addresses without 127.0.0.0/8 turns localhost node ports off).
  if (localhostNodePorts && !cidrs.includes('primary')) candidates.push('127.0.0.1');
  if (ranges.length === 0) return candidates;
  const allowed = new BlockList();
  for (const cidr of ranges) {
    const [net, bits] = cidr.split('/');
    allowed.addSubnet(net ?? '', Number(bits ?? 32), 'ipv4');
  }
  return candidates.filter((ip) => allowed.check(ip, 'ipv4'));
}
