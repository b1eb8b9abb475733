// Pods' traffic to the world leaves with the node's address; traffic to other pods (the cluster
// CIDR) and to Service addresses keeps the pod's own source — Kubernetes' network model has no
// NAT between pods, and the Service proxy decides about its own masquerading. The rules live in a
// table (nftables) or chain (iptables) of the pod network's own, rewritten whole on each sync,
// so nothing else's rules are touched and a restart leaves nothing stale.
import type { CommandRunner } from '@skiff/proxy';

export const NFT_TABLE = 'skiff-podnet';
export const IPTABLES_CHAIN = 'SKIFF-PODNET-MASQ';

export interface MasqueradeConfig {
  readonly clusterCIDR: string;
  readonly serviceCIDR: string | undefined;
}

export type PacketFilter = 'nftables' | 'iptables';

/** Whether a command succeeds: how we ask "is this tool/rule here?". */
const works = (run: CommandRunner, argv: readonly string[]): Promise<boolean> =>
  run(argv).then(
    () => true,
    () => false,
  );

/** The whole table as one `nft -f` transaction: create-if-missing, delete, recreate. */
export function nftMasqueradeRuleset(config: MasqueradeConfig): string {
  const keep = [config.clusterCIDR, ...(config.serviceCIDR ? [config.serviceCIDR] : [])];
  return [
    `add table ip ${NFT_TABLE}`,
    `delete table ip ${NFT_TABLE}`,
    `table ip ${NFT_TABLE} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${config.clusterCIDR} ip daddr { ${keep.join(', ')} } return`,
    // Multicast is link-local in practice; flannel leaves it alone too.
    `    ip saddr ${config.clusterCIDR} ip daddr 224.0.0.0/4 return`,
    `    ip saddr ${config.clusterCIDR} masquerade fully-random`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** `iptables-restore --noflush` input: our chain flushed and refilled (the jump is added apart). */
export function iptablesMasqueradeRules(config: MasqueradeConfig): string {
  const keep = [config.clusterCIDR, ...(config.serviceCIDR ? [config.serviceCIDR] : [])];
  return [
    '*nat',
    `:${IPTABLES_CHAIN} - [0:0]`,
    ...keep.map((dst) => `-A ${IPTABLES_CHAIN} -d ${dst} -j RETURN`),
    `-A ${IPTABLES_CHAIN} -d 224.0.0.0/4 -j RETURN`,
    `-A ${IPTABLES_CHAIN} -j MASQUERADE --random-fully`,
    'COMMIT',
    '',
  ].join('\n');
}

export async function applyMasquerade(
  run: CommandRunner,
  filter: PacketFilter,
  config: MasqueradeConfig,
): Promise<void> {
  if (filter === 'nftables') {
    await run(['nft', '-f', '-'], nftMasqueradeRuleset(config));
    return;
  }
  await run(['iptables-restore', '--noflush'], iptablesMasqueradeRules(config));
  const jump = ['POSTROUTING', '-s', config.clusterCIDR, '-j', IPTABLES_CHAIN];
  if (!(await works(run, ['iptables', '-t', 'nat', '-C', ...jump])))
    await run(['iptables', '-t', 'nat', '-A', ...jump]);
}

/** nftables when `nft` works here, else iptables — the same choice the Service proxy makes. */
export async function choosePacketFilter(run: CommandRunner): Promise<PacketFilter> {
  return (await works(run, ['nft', 'list', 'tables'])) ? 'nftables' : 'iptables';
}

/** Removes our table or chain from whichever filters this host has. */
export async function removeMasquerade(run: CommandRunner): Promise<void> {
  if (await works(run, ['nft', 'list', 'tables']))
    await run(['nft', '-f', '-'], `add table ip ${NFT_TABLE}\ndelete table ip ${NFT_TABLE}\n`);
  if (!(await works(run, ['iptables-save', '--version']))) return;
  const rules = await run(['iptables-save', '-t', 'nat']);
  for (const line of rules.split('\n')) {
    if (!line.startsWith('-A POSTROUTING ') || !line.includes(`-j ${IPTABLES_CHAIN}`)) continue;
    await run(['iptables', '-t', 'nat', '-D', ...line.slice(3).split(' ')]);
  }
  if (rules.includes(`:${IPTABLES_CHAIN} `)) {
    await run(['iptables', '-t', 'nat', '-F', IPTABLES_CHAIN]);
    await run(['iptables', '-t', 'nat', '-X', IPTABLES_CHAIN]);
  }
}
