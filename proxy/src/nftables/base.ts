// The part of the `ip kube-proxy` table every Service shares: base chains on the netfilter
// hooks, the dispatch maps the per-Service elements go into, masquerading, and the checks that
// answer traffic with no endpoints (reject, or drop for a Local policy) instead of a black hole.
// Hooks and priorities as Kubernetes' nftables mode: DNAT at dstnat (-100) in prerouting and
// output, SNAT at srcnat (100), the endpoint checks at filter (0) in input, forward and output.
import { MASQUERADE_MARK, type RuleContext } from '../model/context.js';
import type { NftChain, NftFragment, NftSet } from './fragment.js';

export const NFT_TABLE = 'ip kube-proxy';

/** Dispatch sets and maps: flushed and refilled by a full sync. */
export const NFT_DISPATCH_SETS: readonly NftSet[] = [
  { name: 'cluster-ips', spec: '{ type ipv4_addr ; comment "Active ClusterIPs" ; }' },
  {
    name: 'nodeport-ips',
    spec: '{ type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }',
  },
  {
    name: 'no-endpoint-services',
    spec: '{ type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }',
  },
  {
    name: 'no-endpoint-nodeports',
    spec: '{ type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }',
  },
  {
    name: 'service-ips',
    spec: '{ type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }',
  },
  {
    name: 'service-nodeports',
    spec: '{ type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }',
  },
];

/** Base chains: `add chain` with these specs attaches them to the hooks. */
export const NFT_BASE_CHAIN_SPECS: Readonly<Record<string, string>> = {
  'filter-input': '{ type filter hook input priority 0 ; }',
  'filter-forward': '{ type filter hook forward priority 0 ; }',
  'filter-output': '{ type filter hook output priority 0 ; }',
  'nat-prerouting': '{ type nat hook prerouting priority -100 ; }',
  'nat-output': '{ type nat hook output priority -100 ; }',
  'nat-postrouting': '{ type nat hook postrouting priority 100 ; }',
};

export function nftBaseFragment(ctx: RuleContext): NftFragment {
  const localhostNodePorts = ctx.nodePortAddresses.some((ip) => ip.startsWith('127.'));
  const chains: NftChain[] = [
    {
      name: 'filter-input',
      rules: [
        // route_localnet lets 127.0.0.1 node ports be DNATed off the node; it must not let
        // the rest of the world reach what listens on loopback (kube-proxy's martian check).
        ...(localhostNodePorts
          ? ['ip daddr 127.0.0.0/8 ip saddr != 127.0.0.0/8 ct state new ct status != dnat drop']
          : []),
        'ct state new jump nodeport-endpoints-check',
        'ct state new jump service-endpoints-check',
      ],
    },
    {
      name: 'filter-forward',
      rules: ['ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check'],
    },
    {
      name: 'filter-output',
      rules: ['ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check'],
    },
    { name: 'nat-prerouting', rules: ['jump services'] },
    { name: 'nat-output', rules: ['jump services'] },
    { name: 'nat-postrouting', rules: ['jump masquerading'] },
    { name: 'mark-for-masquerade', rules: [`mark set mark or ${MASQUERADE_MARK}`] },
    {
      name: 'masquerading',
      rules: [
        `mark and ${MASQUERADE_MARK} == 0 return`,
        `mark set mark xor ${MASQUERADE_MARK}`,
        'masquerade fully-random',
      ],
    },
    {
      name: 'services',
      rules: [
        'ip daddr . meta l4proto . th dport vmap @service-ips',
        'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
      ],
    },
    {
      name: 'service-endpoints-check',
      rules: ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services'],
    },
    {
      name: 'nodeport-endpoints-check',
      rules: ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports'],
    },
    // A ClusterIP port no Service defines is refused too (it reaches here not DNATed).
    { name: 'cluster-ips-check', rules: ['ip daddr @cluster-ips reject'] },
    { name: 'reject-chain', rules: ['reject'] },
  ];
  return {
    sets: NFT_DISPATCH_SETS,
    chains,
    elements: ctx.nodePortAddresses.map((ip) => ({ set: 'nodeport-ips', key: ip })),
  };
}
