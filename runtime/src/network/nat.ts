// Outbound NAT: traffic from the pod CIDR to anywhere outside it is masqueraded to the node's
// address, so pods reach the world without the world knowing the pod CIDR. Pod-to-pod and
// host-to-pod traffic never crosses this rule. Pods hang off veths of their own (no bridge port
// to match on), so the rules match on the pod CIDR.
//
// Two backends, because Debian hosts have one or the other: `iptables` (preferred when present:
// kube-proxy, docker and most tooling speak it, and on current Debian it writes nf_tables anyway)
// and `nft` (in a table of our own, so removing it cannot touch anyone else's rules).
import { readFile, writeFile } from 'node:fs/promises';
import { findExecutable, run, tryRun, CommandError } from './exec.js';

export interface NatRule {
  readonly podCidr: string;
  readonly bridge: string;
}

export interface NatBackend {
  readonly tool: 'iptables' | 'nft';
  /** Adds whatever is missing of the rule; a no-op when it is all there. */
  ensure(rule: NatRule): Promise<void>;
  remove(rule: NatRule): Promise<void>;
  isInstalled(rule: NatRule): Promise<boolean>;
}

/** "auto" picks iptables, else nft, else runs without NAT (and says so); the others insist. */
export type NatMode = 'auto' | 'iptables' | 'nft' | 'none';

export type NatChoice =
  | { readonly backend: NatBackend }
  | {
      readonly backend: undefined;
      /** For the NetworkReady condition: turned off on purpose, or no tool to do it with. */
      readonly code: 'OutboundNATDisabled' | 'OutboundNATUnavailable';
      readonly reason: string;
    };

export function chooseNatBackend(mode: NatMode, searchPath: string): NatChoice {
  if (mode === 'none') {
    return {
      backend: undefined,
      code: 'OutboundNATDisabled',
      reason: 'outbound NAT is turned off (nat: "none"): pods do not reach beyond the node',
    };
  }
  const tools = mode === 'auto' ? (['iptables', 'nft'] as const) : [mode];
  for (const tool of tools) {
    const path = findExecutable(tool, searchPath);
    if (path !== undefined)
      return { backend: tool === 'iptables' ? iptablesBackend(path) : nftBackend(path) };
  }
  if (mode !== 'auto')
    throw new Error(`NAT backend "${mode}" was asked for, but \`${mode}\` is not on PATH`);
  return {
    backend: undefined,
    code: 'OutboundNATUnavailable',
    reason:
      'neither iptables nor nft is on PATH (Debian packages iptables or nftables): ' +
      'pods reach the host and each other, but not beyond the node',
  };
}

/** Lets the kernel route between the pods' veths and the node's uplinks; pods need it to talk. */
export async function enableIpv4Forwarding(): Promise<void> {
  const file = '/proc/sys/net/ipv4/ip_forward';
  try {
    if ((await readFile(file, 'utf8')).trim() !== '1') await writeFile(file, '1\n');
  } catch (err) {
    throw new Error(`enabling IPv4 forwarding in ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function comment(rule: NatRule, what: string): string {
  return `skiff ${rule.bridge} ${rule.podCidr}: ${what}`;
}

interface IptablesRule {
  readonly table: 'nat' | 'filter';
  readonly chain: string;
  /** FORWARD rules go first so a trailing DROP/REJECT (docker adds those) cannot shadow them. */
  readonly placement: '-A' | '-I';
  readonly spec: readonly string[];
}

/** Matches are written as text for reading; bridge names and CIDRs never contain spaces. */
function ruleSpec(rule: NatRule, match: string, what: string, target: string): string[] {
  return [
    ...match.split(' '),
    ...['-m', 'comment', '--comment', comment(rule, what), '-j', target],
  ];
}

const established = '-m conntrack --ctstate RELATED,ESTABLISHED';

/** What the masquerade rule's comment says; also how the nft backend recognises its table. */
const masqueradeWhat = 'masquerade beyond the pod CIDR';

function iptablesRules(rule: NatRule): IptablesRule[] {
  const { podCidr } = rule;
  const masquerade = `-s ${podCidr} ! -d ${podCidr}`;
  return [
    {
      table: 'nat',
      chain: 'POSTROUTING',
      placement: '-A',
      spec: ruleSpec(rule, masquerade, masqueradeWhat, 'MASQUERADE'),
    },
    {
      table: 'filter',
      chain: 'FORWARD',
      placement: '-I',
      spec: ruleSpec(rule, `-s ${podCidr}`, 'from pods', 'ACCEPT'),
    },
    {
      table: 'filter',
      chain: 'FORWARD',
      placement: '-I',
      spec: ruleSpec(rule, `-d ${podCidr} ${established}`, 'replies to pods', 'ACCEPT'),
    },
  ];
}

/** The rules of a runtime from before routed veths, which matched on the bridge: removed too. */
function bridgeIptablesRules(rule: NatRule): IptablesRule[] {
  const { podCidr, bridge } = rule;
  return [
    {
      table: 'nat',
      chain: 'POSTROUTING',
      placement: '-A',
      spec: ruleSpec(rule, `-s ${podCidr} ! -o ${bridge}`, 'masquerade', 'MASQUERADE'),
    },
    {
      table: 'filter',
      chain: 'FORWARD',
      placement: '-I',
      spec: ruleSpec(rule, `-i ${bridge}`, 'from pods', 'ACCEPT'),
    },
    {
      table: 'filter',
      chain: 'FORWARD',
      placement: '-I',
      spec: ruleSpec(rule, `-o ${bridge} ${established}`, 'replies to pods', 'ACCEPT'),
    },
  ];
}

function iptablesBackend(path: string): NatBackend {
  // -w waits for the xtables lock instead of failing when kube-proxy or docker holds it.
  const exists = async (r: IptablesRule): Promise<boolean> => {
    const args = ['-w', '-t', r.table, '-C', r.chain, ...r.spec];
    const result = await tryRun(path, args);
    if (result.exitCode === 0) return true;
    // Exit 1 is "no such rule"; anything else (2: bad arguments, 4: no permission) is a fault.
    if (result.exitCode === 1) return false;
    throw new CommandError(
      [path, ...args],
      result.exitCode,
      result.stderr,
      `exited with ${result.exitCode}`,
    );
  };
  return {
    tool: 'iptables',
    async ensure(rule) {
      for (const r of iptablesRules(rule)) {
        if (!(await exists(r)))
          await run(path, ['-w', '-t', r.table, r.placement, r.chain, ...r.spec]);
      }
    },
    async remove(rule) {
      for (const r of [...iptablesRules(rule), ...bridgeIptablesRules(rule)]) {
        // Loop: an older process might have added a rule twice; none may survive removal.
        while (await exists(r)) await run(path, ['-w', '-t', r.table, '-D', r.chain, ...r.spec]);
      }
    },
    async isInstalled(rule) {
      for (const r of iptablesRules(rule)) if (!(await exists(r))) return false;
      return true;
    },
  };
}

function nftBackend(path: string): NatBackend {
  const table = (rule: NatRule): string => `skiff_${rule.bridge}`;
  const tableExists = async (rule: NatRule): Promise<boolean> => {
    const out = await run(path, ['-j', 'list', 'tables', 'ip']);
    return nftObjects(out).some(
      (o) => (o as { table?: { name?: unknown } }).table?.name === table(rule),
    );
  };
  const isInstalled = async (rule: NatRule): Promise<boolean> => {
    if (!(await tableExists(rule))) return false;
    const out = await run(path, ['-j', 'list', 'table', 'ip', table(rule)]);
    return nftObjects(out).some(
      (o) =>
        (o as { rule?: { comment?: unknown } }).rule?.comment === comment(rule, masqueradeWhat),
    );
  };
  return {
    tool: 'nft',
    async ensure(rule) {
      if (await isInstalled(rule)) return;
      // One transaction: create-if-missing, empty, fill. The table is ours alone, so emptying it
      // drops nothing of anyone else's, and the result is the same however often this runs.
      const script = [
        `table ip ${table(rule)} {}`,
        `flush table ip ${table(rule)}`,
        `table ip ${table(rule)} {`,
        '  chain postrouting {',
        '    type nat hook postrouting priority srcnat; policy accept;',
        `    ip saddr ${rule.podCidr} ip daddr != ${rule.podCidr} masquerade comment "${comment(rule, masqueradeWhat)}"`,
        '  }',
        '}',
        '',
      ].join('\n');
      await run(path, ['-f', '-'], { input: script });
    },
    async remove(rule) {
      if (await tableExists(rule)) await run(path, ['delete', 'table', 'ip', table(rule)]);
    },
    isInstalled,
  };
}

/** `nft -j` wraps everything in {"nftables": [ {metainfo}, {table}, {chain}, {rule}, … ]}. */
function nftObjects(out: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch (err) {
    throw new Error(`nft printed JSON that does not parse: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const list = (parsed as { nftables?: unknown }).nftables;
  if (!Array.isArray(list)) throw new Error('nft printed JSON without an "nftables" list');
  return list;
}
