// nftables mode: every sync is one `nft -f -` transaction, atomic in the kernel.
import { errorMessage, realClock, type Clock } from '@skiff/api';
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend, SyncOutcome } from '../proxier/backend.js';
import { CommandError, type CommandRunner } from '../proxier/command.js';
import { NFT_TABLE, nftBaseFragment } from './base.js';
import { nftServiceFragment, type NftFragment } from './fragment.js';
import { NftNetlink } from './netlink/nft-netlink.js';
import { NftRuleset } from './ruleset.js';

export interface NftablesBackendOptions {
  /** Dates the stale chains a later sync deletes (see ruleset.ts). */
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
  /** Delete flushed chains only in a later sync from the start, as on kernels before 6.2. */
  readonly deferStaleChainDeletion?: boolean;
  /**
   * Partial syncs straight over nf_tables netlink, in this network namespace (`netns`: a name
   * under /run/netns; omitted: the proxy's own) instead of `nft -f`: nft 1.0.6 dumps every chain
   * of the table before it applies a rule or an element, which at 1,000 Services costs a change
   * more than the change itself. Full syncs always go to nft. Omitted: nft only.
   */
  readonly netlink?: { readonly netns?: string };
}

export class NftablesBackend implements ProxyBackend {
  readonly mode = 'nftables';
  private readonly ruleset = new NftRuleset();
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  /** Opened on the first partial sync; null once it could not be (nft from then on). */
  private netlink: Promise<NftNetlink | null> | undefined;
  private readonly netlinkNetns: { readonly netns?: string } | undefined;

  constructor(
    private readonly run: CommandRunner,
    options: NftablesBackendOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => undefined);
    if (options.deferStaleChainDeletion) this.ruleset.deferStaleChainDeletion();
    this.netlinkNetns = options.netlink;
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
      await this.apply(kind, tx.text);
    } catch (err) {
      // What the kernel refused may be the deletion of stale chains (references released only
      // after the commit, before Linux 6.2): the change itself must not wait for them.
      if (tx.withoutStaleChainDeletions === undefined) throw err;
      this.log(
        `deleting stale chains was refused; they stay flushed and later syncs delete them: ${errorMessage(err)}`,
      );
      this.ruleset.deferStaleChainDeletion();
      tx = tx.withoutStaleChainDeletions;
      await this.apply(kind, tx.text);
    }
    tx.commit();
    const cleanupAt = this.ruleset.staleChainsDeletableAt();
    return {
      counts: { rules: tx.ruleCount, elements: tx.elementCount },
      ...(cleanupAt === undefined ? {} : { cleanupAt }),
    };
  }

  private async apply(kind: SyncKind, text: string): Promise<void> {
    if (!text) return;
    const netlink = kind === 'partial' ? await this.openNetlink() : null;
    if (netlink && (await netlink.apply(text)) === 'applied') return;
    await this.run(['nft', '-f', '-'], text);
  }

  private openNetlink(): Promise<NftNetlink | null> {
    const where = this.netlinkNetns;
    if (where === undefined) return Promise.resolve(null);
    this.netlink ??= NftNetlink.open(where.netns).then(
      (netlink) => {
        this.log('partial syncs go to the kernel over nf_tables netlink; full syncs to nft -f');
        return netlink;
      },
      (err: unknown) => {
        this.log(`partial syncs use nft -f: no nf_tables netlink socket (${errorMessage(err)})`);
        return null;
      },
    );
    return this.netlink;
  }

  async close(): Promise<void> {
    const netlink = await this.netlink;
    this.netlink = undefined;
    netlink?.close();
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
