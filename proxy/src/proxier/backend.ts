// A packet filter the proxier programs: nftables or iptables. Each turns plans into its own
// rules, keeps what it programmed, and moves that only when the kernel accepted the change.
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyMode } from './mode.js';

export interface SyncOutcome {
  /** Programmed rule counts by kind (`rules`, `elements` for nftables; tables for iptables). */
  readonly counts: Readonly<Record<string, number>>;
  /**
   * When a later sync has something this one left behind to delete (nftables flushes chains it
   * no longer wants and deletes them a moment later); undefined when nothing is left.
   */
  readonly cleanupAt?: number;
}

export interface ProxyBackend {
  readonly mode: ProxyMode;
  /**
   * `updates`: for a partial sync the changed Service ports (undefined: gone), for a full or
   * initial sync every Service port there should be.
   */
  sync(
    kind: SyncKind,
    ctx: RuleContext,
    updates: ReadonlyMap<string, ServicePortPlan | undefined>,
  ): Promise<SyncOutcome>;
  /** Removes everything this backend programs (best effort when there is nothing). */
  cleanup(): Promise<void>;
  /** Lets go of what the backend holds open between syncs (a socket); the rules stay as they are. */
  close(): Promise<void>;
}
