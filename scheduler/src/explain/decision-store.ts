// The latest decision per pod, bounded: an LRU of pods capped both in count and in (estimated)
// bytes, so a scheduler placing 10,000 pods on 5,000 nodes cannot hold gigabytes of history.
import type { DecisionSummary, RecordedDecision } from './decision.js';

export const DEFAULT_MAX_PODS = 1000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export class DecisionStore {
  private readonly entries = new Map<string, { decision: RecordedDecision; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxPods = DEFAULT_MAX_PODS,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** Keeps `decision` as the pod's latest, evicting the least recently recorded pods. */
  record(decision: RecordedDecision): void {
    const key = decision.summary.pod;
    this.drop(key);
    const bytes = decision.approximateBytes();
    this.entries.set(key, { decision, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxPods && this.bytes <= this.maxBytes) break;
      if (oldest === key) break;
      this.drop(oldest);
    }
  }

  get(pod: string): RecordedDecision | undefined {
    return this.entries.get(pod)?.decision;
  }

  /** Newest first. */
  list(): DecisionSummary[] {
    return [...this.entries.values()].map((e) => e.decision.summary).reverse();
  }

  size(): { pods: number; bytes: number } {
    return { pods: this.entries.size, bytes: this.bytes };
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
