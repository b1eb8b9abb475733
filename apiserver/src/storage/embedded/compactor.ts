// Periodic compaction, as the Kubernetes apiserver drives etcd's: every interval, compact to the
// revision that was current at the previous tick. History therefore always reaches back at least
// one interval (5 minutes by default) — long enough for watchers to resume after a short hiccup —
// while memory for old versions and old watch events stays bounded.
import type { Clock, Timer } from '@skiff/api';

export interface Compactable {
  revisions(): { readonly committed: number; readonly compacted: number };
  compact(revision: number): Promise<void>;
}

export class PeriodicCompactor {
  private timer: Timer | undefined;
  private previousTickRevision: number;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly store: Compactable,
    private readonly warn: (message: string) => void,
  ) {
    this.previousTickRevision = store.revisions().committed;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(this.intervalMs, () => void this.tick());
  }

  private async tick(): Promise<void> {
    // Schedule the next tick first, so a slow compaction never delays the cadence.
    this.schedule();
    const target = this.previousTickRevision;
    const { committed, compacted } = this.store.revisions();
    this.previousTickRevision = committed;
    // Someone may have compacted further by hand; nothing to do then.
    if (target <= compacted) return;
    try {
      await this.store.compact(target);
    } catch (err) {
      if (this.stopped) return;
      this.warn(`embedded store: periodic compaction to ${target} failed: ${String(err)}`);
    }
  }
}
