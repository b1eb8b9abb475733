// The chains every Service shares in iptables mode, and the jumps into them from the built-in
// chains (kube-proxy's iptablesJumpChains). The jumps live in chains other programs use too, so
// they are checked and inserted one by one (`iptables -C` / `-I`), never restored wholesale.
import { MASQUERADE_MARK, type RuleContext } from '../model/context.js';
import type { IptablesChain } from './fragment.js';

export interface JumpRule {
  readonly table: 'nat' | 'filter';
  readonly chain: string;
  /** The rule's arguments after `-A <chain>`. */
  readonly rule: readonly string[];
}

const jump = (
  table: JumpRule['table'],
  chain: string,
  to: string,
  why: string,
  ...extra: string[]
): JumpRule => ({
  table,
  chain,
  rule: [...extra, '-m', 'comment', '--comment', why, '-j', to],
});

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

export const IPTABLES_JUMPS: readonly JumpRule[] = [
  jump('nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals'),
  jump('nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals'),
  jump('nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules'),
  jump(
    'filter',
    'INPUT',
    'KUBE-EXTERNAL-SERVICES',
    'kubernetes externally-visible service portals',
    ...NEW,
  ),
  jump('filter', 'INPUT', 'KUBE-SERVICES', 'kubernetes service portals', ...NEW),
  jump('filter', 'INPUT', 'KUBE-FIREWALL', 'kubernetes firewall'),
  jump('filter', 'FORWARD', 'KUBE-SERVICES', 'kubernetes service portals', ...NEW),
  jump('filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules'),
  jump('filter', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals', ...NEW),
  jump('filter', 'OUTPUT', 'KUBE-FIREWALL', 'kubernetes firewall'),
];

/** Chains written in full by every full sync, besides the dispatch chains. */
export function iptablesBaseChains(ctx: RuleContext): {
  nat: IptablesChain[];
  filter: IptablesChain[];
} {
  const localhostNodePorts = ctx.nodePortAddresses.some((ip) => ip.startsWith('127.'));
  return {
    nat: [
      { name: 'KUBE-MARK-MASQ', rules: [`-j MARK --or-mark ${MASQUERADE_MARK}`] },
      {
        name: 'KUBE-POSTROUTING',
        rules: [
          `-m mark ! --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j RETURN`,
          `-j MARK --xor-mark ${MASQUERADE_MARK}`,
          '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        ],
      },
    ],
    filter: [
      {
        name: 'KUBE-FORWARD',
        rules: [
          `-m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j ACCEPT`,
        ],
      },
      {
        name: 'KUBE-FIREWALL',
        // See nftables' base: route_localnet must not expose what listens on loopback.
        rules: localhostNodePorts
          ? [
              '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
            ]
          : [],
      },
    ],
  };
}
