// nftables mode: every sync is one `nft -f -` transaction, atomic in the kernel.
import { errorMessage, realClock, type Clock } from '@skiff/api';
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend, SyncOutcome } from '../proxier/backend.js';
import { CommandError, type CommandRunner } from '../proxier/command.js';
import { NFT_TABLE, nftBaseFragment } from './base.js';
import { nftServiceFragment, type NftFragment } from './fragment.js';
import { NftRuleset } from './ruleset.js';

export interface NftablesBackendOptions {
  /** Dates the stale chains a later sync deletes (see ruleset.ts). */
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
  /** Delete flushed chains only in a later sync from the start, as on kernels before 6.2. */
  readonly deferStaleChainDeletion?: boolean;
}

export class NftablesBackend implements ProxyBackend {
  readonly mode = 'nftables';
  private readonly ruleset = new NftRuleset();
  private readonly clock: Clock;
  private readonly log: (message: string) => void;

  constructor(
    private readonly run: CommandRunner,
    options: NftablesBackendOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => undefined);
    if (options.deferStaleChainDeletion) this.ruleset.deferStaleChainDeletion();
  }

  async sync(
    kind: SyncKind,
    ctx: RuleContext,
    updates: ReadonlyMap<string, ServicePortPlan | undefined>,
  ): Promise<SyncOutcome> {
    const fragments = new Map<string, NftFragment | undefined>();
    for (const [key, plan] of updates) fragments.set(key, plan && nftServiceFragment(plan, ctx));
    let tx = this.ruleset.transaction(kind, nftBaseFragment(ctx), fragments, this.clock.now());
    try {
      if (tx.text) await this.run(['nft', '-f', '-'], tx.text);
    } catch (err) {
      // What the kernel refused may be the deletion of stale chains (references released only
      // after the commit, before Linux 6.2): the change itself must not wait for them.
      if (tx.withoutStaleChainDeletions === undefined) throw err;
      this.log(
        `deleting stale chains was refused; they stay flushed and later syncs delete them: ${errorMessage(err)}`,
      );
      this.ruleset.deferStaleChainDeletion();
      tx = tx.withoutStaleChainDeletions;
      if (tx.text) await this.run(['nft', '-f', '-'], tx.text);
    }
    tx.commit();
    const cleanupAt = this.ruleset.staleChainsDeletableAt();
    return {
      counts: { rules: tx.ruleCount, elements: tx.elementCount },
      ...(cleanupAt === undefined ? {} : { cleanupAt }),
    };
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
