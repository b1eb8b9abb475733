// iptables mode: each sync is one `iptables-restore --noflush` (atomic per table), plus the
// jumps from the built-in chains, checked and inserted one by one on full syncs.
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend, SyncOutcome } from '../proxier/backend.js';
import { CommandError, type CommandRunner } from '../proxier/command.js';
import { IPTABLES_JUMPS, type JumpRule } from './base.js';
import { iptablesServiceFragment, type IptablesFragment } from './fragment.js';
import { IptablesRuleset } from './ruleset.js';

const SERVICE_CHAIN = /^:(KUBE-(?:SVC|SVL|EXT|SEP)-[A-Z2-7]+) /;
const OWN_CHAINS = {
  nat: /^:(KUBE-(?:SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|SVC-\w+|SVL-\w+|EXT-\w+|SEP-\w+)) /,
  filter: /^:(KUBE-(?:SERVICES|EXTERNAL-SERVICES|FORWARD|FIREWALL)) /,
};

/**
 * Which iptables: `iptables` is the host's choice (nf_tables or legacy, whichever the
 * alternatives point at); `iptables-legacy` and `iptables-nft` name one. The tools of one family
 * are `<binary>`, `<binary>-save` and `<binary>-restore`.
 */
export type IptablesBinary = 'iptables' | 'iptables-legacy' | 'iptables-nft';

export class IptablesBackend implements ProxyBackend {
  readonly mode = 'iptables';
  private readonly ruleset = new IptablesRuleset();

  constructor(
    private readonly run: CommandRunner,
    private readonly binary: IptablesBinary = 'iptables',
  ) {}

  async sync(
    kind: SyncKind,
    ctx: RuleContext,
    updates: ReadonlyMap<string, ServicePortPlan | undefined>,
  ): Promise<SyncOutcome> {
    const fragments = new Map<string, IptablesFragment | undefined>();
    for (const [key, plan] of updates)
      fragments.set(key, plan && iptablesServiceFragment(plan, ctx));
    const existing =
      kind === 'initial' ? await this.chains('nat', SERVICE_CHAIN) : new Set<string>();
    const tx = this.ruleset.transaction(kind, ctx, fragments, existing);
    await this.run([`${this.binary}-restore`, '--noflush', '-w'], tx.text);
    if (kind !== 'partial') for (const jump of IPTABLES_JUMPS) await this.ensure(jump);
    tx.commit();
    return { counts: { ...tx.ruleCount } };
  }

  /** Every iptables call is a process of its own: nothing stays open between syncs. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async cleanup(): Promise<void> {
    for (const jump of IPTABLES_JUMPS) {
      // -D removes one copy; a crashed run may have inserted more.
      let removed = true;
      while (removed) {
        removed = await this.succeeds([
          this.binary,
          '-w',
          '-t',
          jump.table,
          '-D',
          jump.chain,
          ...jump.rule,
        ]);
      }
    }
    const input: string[] = [];
    for (const table of ['filter', 'nat'] as const) {
      const chains = await this.chains(table, OWN_CHAINS[table]);
      input.push(
        `*${table}`,
        ...[...chains].map((c) => `:${c} - [0:0]`),
        ...[...chains].map((c) => `-X ${c}`),
        'COMMIT',
      );
    }
    await this.run([`${this.binary}-restore`, '--noflush', '-w'], `${input.join('\n')}\n`);
  }

  private async chains(table: 'nat' | 'filter', pattern: RegExp): Promise<Set<string>> {
    const saved = await this.run([`${this.binary}-save`, '-t', table]);
    const found = new Set<string>();
    for (const line of saved.split('\n')) {
      const m = pattern.exec(line);
      if (m?.[1]) found.add(m[1]);
    }
    return found;
  }

  private async ensure(jump: JumpRule): Promise<void> {
    const rule = [jump.chain, ...jump.rule];
    if (await this.succeeds([this.binary, '-w', '-t', jump.table, '-C', ...rule])) return;
    await this.run([this.binary, '-w', '-t', jump.table, '-I', ...rule]);
  }

  /** Runs a check-style command: true on exit 0, false on a failure exit. */
  private async succeeds(argv: readonly string[]): Promise<boolean> {
    try {
      await this.run(argv);
      return true;
    } catch (err) {
      if (err instanceof CommandError) return false;
      throw err;
    }
  }
}
