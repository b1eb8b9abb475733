// hostPort forwards with nft, in a table of skiff's own per bridge (`ip skiff_hostports_<bridge>`),
// laid out as the CNI portmap plugin's nftables mode: NAT base chains on prerouting and output
// that jump, for traffic addressed to this node, first to the forwards bound to a host_ip and then
// to the rest, and a postrouting chain that masquerades localhost and hairpin connections. Each
// rule's comment names its sandbox; a sandbox's change is one nft transaction.
import { run, tryRun } from './exec.js';
import { ownerComment, ownerOf, type HostPortBackend, type HostPortMapping } from './host-ports.js';

interface NftRule {
  readonly chain: string;
  readonly handle: number;
  readonly comment: string | undefined;
}

export function nftHostPorts(path: string, bridge: string): HostPortBackend {
  const table = `skiff_hostports_${bridge}`;
  const base = (): string[] => {
    const natChain = (name: string, hook: string, priority: string): string =>
      `add chain ip ${table} ${name} { type nat hook ${hook} priority ${priority}; policy accept; }`;
    const entry = (chain: string): string[] => [
      `flush chain ip ${table} ${chain}`,
      `add rule ip ${table} ${chain} fib daddr type local jump hostip_hostports`,
      `add rule ip ${table} ${chain} fib daddr type local jump hostports`,
    ];
    // Priorities as numbers (dstnat -100, srcnat 100): nft before 1.0.7 knows no names on output.
    // Re-adding what exists is a no-op in nft, and flushing the entry chains before filling them
    // keeps them at exactly two rules however often this runs.
    return [
      `add table ip ${table}`,
      `add chain ip ${table} hostip_hostports`,
      `add chain ip ${table} hostports`,
      natChain('prerouting', 'prerouting', '-100'),
      ...entry('prerouting'),
      natChain('output', 'output', '-100'),
      ...entry('output'),
      natChain('masquerading', 'postrouting', '100'),
    ];
  };
  const rules = async (): Promise<NftRule[]> => {
    const listed = await tryRun(path, ['-j', 'list', 'table', 'ip', table]);
    if (listed.exitCode !== 0) {
      if (/No such file or directory/.test(listed.stderr)) return [];
      throw new Error(`nft list table ip ${table}: ${listed.stderr.trim()}`);
    }
    return nftRules(listed.stdout);
  };
  const deletions = (all: readonly NftRule[], sandboxId: string): string[] =>
    all
      .filter((r) => ownerOf(r.comment) === sandboxId)
      .map((r) => `delete rule ip ${table} ${r.chain} handle ${r.handle}`);
  const apply = async (lines: readonly string[]): Promise<void> => {
    if (lines.length > 0) await run(path, ['-f', '-'], { input: `${lines.join('\n')}\n` });
  };
  return {
    tool: 'nft',
    async set(sandboxId, podIp, mappings) {
      const comment = `comment "${ownerComment(sandboxId)}"`;
      const forwards = mappings.map((m) => {
        const chain = m.hostIp === '' ? 'hostports' : 'hostip_hostports';
        const to = m.hostIp === '' ? '' : `ip daddr ${m.hostIp} `;
        return `add rule ip ${table} ${chain} ${to}${match(m)} dnat to ${podIp}:${m.containerPort} ${comment}`;
      });
      const masquerades = [
        `add rule ip ${table} masquerading ip saddr ${podIp} ip daddr ${podIp} masquerade ${comment}`,
        `add rule ip ${table} masquerading ip saddr 127.0.0.1 ip daddr ${podIp} masquerade ${comment}`,
      ];
      await apply(base());
      await apply([...deletions(await rules(), sandboxId), ...forwards, ...masquerades]);
    },
    async remove(sandboxId) {
      await apply(deletions(await rules(), sandboxId));
    },
    async owners() {
      const owners = new Set<string>();
      for (const r of await rules()) {
        const owner = ownerOf(r.comment);
        if (owner !== undefined) owners.add(owner);
      }
      return owners;
    },
    async uninstall() {
      const deleted = await tryRun(path, ['delete', 'table', 'ip', table]);
      if (deleted.exitCode !== 0 && !/No such file or directory/.test(deleted.stderr)) {
        throw new Error(`nft delete table ip ${table}: ${deleted.stderr.trim()}`);
      }
    },
  };
}

function match(m: HostPortMapping): string {
  return `${m.protocol} dport ${m.hostPort}`;
}

/** The rules of `nft -j list table` output. */
function nftRules(json: string): NftRule[] {
  const parsed = JSON.parse(json) as { nftables?: unknown };
  if (!Array.isArray(parsed.nftables))
    throw new Error('nft printed JSON without an "nftables" list');
  const result: NftRule[] = [];
  for (const item of parsed.nftables as { rule?: Record<string, unknown> }[]) {
    const rule = item.rule;
    if (rule === undefined) continue;
    const { chain, handle, comment } = rule;
    if (typeof chain !== 'string' || typeof handle !== 'number') continue;
    result.push({ chain, handle, comment: typeof comment === 'string' ? comment : undefined });
  }
  return result;
}
