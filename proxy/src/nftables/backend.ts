// nftables mode: every sync is one `nft -f -` transaction, atomic in the kernel.
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend, SyncOutcome } from '../proxier/backend.js';
import { CommandError, type CommandRunner } from '../proxier/command.js';
import { NFT_TABLE, nftBaseFragment } from './base.js';
import { nftServiceFragment, type NftFragment } from './fragment.js';
import { NftRuleset } from './ruleset.js';

export class NftablesBackend implements ProxyBackend {
  readonly mode = 'nftables';
  private readonly ruleset = new NftRuleset();

  constructor(private readonly run: CommandRunner) {}

  async sync(
    kind: SyncKind,
    ctx: RuleContext,
    updates: ReadonlyMap<string, ServicePortPlan | undefined>,
  ): Promise<SyncOutcome> {
    const fragments = new Map<string, NftFragment | undefined>();
    for (const [key, plan] of updates) fragments.set(key, plan && nftServiceFragment(plan, ctx));
    const tx = this.ruleset.transaction(kind, nftBaseFragment(ctx), fragments);
    if (tx.text) await this.run(['nft', '-f', '-'], tx.text);
    tx.commit();
    return { counts: { rules: tx.ruleCount, elements: tx.elementCount } };
  }

  async cleanup(): Promise<void> {
    try {
      await this.run(['nft', 'delete', 'table', NFT_TABLE]);
    } catch (err) {
      // No table: nothing to clean up.
      if (!(err instanceof CommandError && /No such file or directory/.test(err.stderr))) throw err;
    }
  }
}
