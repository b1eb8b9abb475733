// hostPort forwards with iptables, for hosts without nft: two chains of skiff's own per bridge in
// the nat table, as the CNI portmap plugin's iptables mode has — SKIFF-HP-<bridge> (the DNATs,
// entered from PREROUTING and OUTPUT for traffic addressed to this node) and SKIFF-HPM-<bridge>
// (the localhost and hairpin masquerades, entered first from POSTROUTING). A sandbox's rules carry
// its id in a comment; they are replaced in one iptables-restore --noflush transaction.
import { run, tryRun, CommandError } from './exec.js';
import { ownerComment, ownerOf, type HostPortBackend } from './host-ports.js';

export function iptablesHostPorts(
  path: string,
  restorePath: string,
  bridge: string,
): HostPortBackend {
  const dnatChain = `SKIFF-HP-${bridge}`;
  const masqChain = `SKIFF-HPM-${bridge}`;
  const entryComment = ['-m', 'comment', '--comment', `skiff hostports ${bridge}`];
  const entries: { chain: string; spec: string[]; placement: '-A' | '-I' }[] = [
    {
      chain: 'PREROUTING',
      spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', ...entryComment, '-j', dnatChain],
      placement: '-A',
    },
    {
      chain: 'OUTPUT',
      spec: ['-m', 'addrtype', '--dst-type', 'LOCAL', ...entryComment, '-j', dnatChain],
      placement: '-A',
    },
    // First, so another tool's MASQUERADE or ACCEPT in POSTROUTING cannot end the chain before it.
    { chain: 'POSTROUTING', spec: [...entryComment, '-j', masqChain], placement: '-I' },
  ];
  const iptables = (args: readonly string[]): Promise<string> =>
    run(path, ['-w', '-t', 'nat', ...args]);
  const chainExists = async (chain: string): Promise<boolean> => {
    const listed = await tryRun(path, ['-w', '-t', 'nat', '-S', chain]);
    if (listed.exitCode === 0) return true;
    if (listed.exitCode === 1) return false;
    throw new CommandError(
      [path, '-t', 'nat', '-S', chain],
      listed.exitCode,
      listed.stderr,
      'failed',
    );
  };
  const ensureBase = async (): Promise<void> => {
    for (const chain of [dnatChain, masqChain]) {
      if (!(await chainExists(chain))) await iptables(['-N', chain]);
    }
    for (const e of entries) {
      const present = await tryRun(path, ['-w', '-t', 'nat', '-C', e.chain, ...e.spec]);
      if (present.exitCode !== 0) await iptables([e.placement, e.chain, ...e.spec]);
    }
  };
  /** The chain's rules as `-S` prints them (`-A CHAIN …`), with their owners. */
  const rulesOf = async (chain: string): Promise<{ line: string; owner: string | undefined }[]> => {
    if (!(await chainExists(chain))) return [];
    return (await iptables(['-S', chain]))
      .split('\n')
      .filter((line) => line.startsWith('-A '))
      .map((line) => ({ line, owner: ownerOf(/--comment "([^"]*)"/.exec(line)?.[1]) }));
  };
  const deletions = async (sandboxId: string): Promise<string[]> => {
    const lines: string[] = [];
    for (const chain of [dnatChain, masqChain]) {
      for (const rule of await rulesOf(chain)) {
        if (rule.owner === sandboxId) lines.push(rule.line.replace(/^-A /, '-D '));
      }
    }
    return lines;
  };
  const restore = async (lines: readonly string[]): Promise<void> => {
    if (lines.length === 0) return;
    const input = ['*nat', ...lines, 'COMMIT', ''].join('\n');
    await run(restorePath, ['-w', '--noflush'], { input });
  };
  return {
    tool: 'iptables',
    async set(sandboxId, podIp, mappings) {
      await ensureBase();
      const comment = `-m comment --comment "${ownerComment(sandboxId)}"`;
      const forwards = mappings.map((m) => {
        const match = `-p ${m.protocol} -m ${m.protocol} --dport ${m.hostPort}`;
        const target = `-j DNAT --to-destination ${podIp}:${m.containerPort}`;
        // A forward bound to one address goes before the catch-all ones, so it wins.
        return m.hostIp === ''
          ? `-A ${dnatChain} ${match} ${comment} ${target}`
          : `-I ${dnatChain} 1 -d ${m.hostIp}/32 ${match} ${comment} ${target}`;
      });
      const masquerades = [podIp, '127.0.0.1'].map(
        (source) => `-A ${masqChain} -s ${source}/32 -d ${podIp}/32 ${comment} -j MASQUERADE`,
      );
      await restore([...(await deletions(sandboxId)), ...forwards, ...masquerades]);
    },
    async remove(sandboxId) {
      await restore(await deletions(sandboxId));
    },
    async owners() {
      const owners = new Set<string>();
      for (const chain of [dnatChain, masqChain]) {
        for (const rule of await rulesOf(chain))
          if (rule.owner !== undefined) owners.add(rule.owner);
      }
      return owners;
    },
    async uninstall() {
      for (const e of entries) {
        while ((await tryRun(path, ['-w', '-t', 'nat', '-C', e.chain, ...e.spec])).exitCode === 0) {
          await iptables(['-D', e.chain, ...e.spec]);
        }
      }
      for (const chain of [dnatChain, masqChain]) {
        if (!(await chainExists(chain))) continue;
        await iptables(['-F', chain]);
        await iptables(['-X', chain]);
      }
    },
  };
}
