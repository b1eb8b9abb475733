// Why no node fit, in Kubernetes' words (FitError.Error()): every node is counted once, under
// the reasons of its first failing filter, and the counts are sorted as strings:
//
//   0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.
//   preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No
//   preemption victims found for incoming pod..
//
// (The double full stop is Kubernetes': the preemption sentence ends with one and the separator
// adds another.) This text becomes the PodScheduled condition's message and the
// FailedScheduling event's.
import type { Status } from '../framework/index.js';

export interface Diagnosis {
  /** Each rejected node's status (its first failing Filter, or the PreFilter narrowing). */
  readonly statuses: ReadonlyMap<string, Status>;
  /** Set when a PreFilter plugin rejected the pod for every node. */
  readonly preFilterMsg?: string;
  /** The PostFilter (preemption) sentence. */
  postFilterMsg?: string;
  /** Plugins that rejected the pod: only events they registered for can help it. */
  readonly unschedulablePlugins: ReadonlySet<string>;
}

export class FitError {
  constructor(
    readonly pod: string,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  message(): string {
    let msg = `0/${this.numAllNodes} nodes are available:`;
    const { preFilterMsg, postFilterMsg, statuses } = this.diagnosis;
    if (preFilterMsg) {
      msg += ` ${preFilterMsg}.`;
    } else {
      const histogram = reasonHistogram(statuses.values());
      if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`;
    }
    if (postFilterMsg) msg += ` ${postFilterMsg}.`;
    return msg;
  }
}

/** `["1 node(s) had …", "2 Insufficient cpu"]`: each reason with how many nodes gave it, sorted. */
export function reasonHistogram(
  statuses: Iterable<{ readonly reasons: readonly string[] }>,
): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}
