// The sentence Kubernetes 1.32's DefaultPreemption adds after "0/N nodes are available: …" when
// it found nothing to preempt. skiff does not preempt yet (that comes with PriorityClass; the
// PostFilter extension point is the seam), so this only says what preemption could have done:
//   - a pod with preemptionPolicy Never: "not eligible due to preemptionPolicy=Never."
//   - a node rejected as UnschedulableAndUnresolvable (a taint, an affinity, a cordon): removing
//     pods cannot change that — "Preemption is not helpful for scheduling";
//   - any other rejected node with no pod of lower priority to remove — "No preemption victims
//     found for incoming pod";
//   - a node that does have lower-priority pods: Kubernetes would try to preempt there; skiff
//     says plainly that it does not preempt yet.
import type { Pod } from '@skiff/api';
import type { NodeInfoLister, Status } from '../framework/index.js';
import { reasonHistogram } from './fit-error.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_SUPPORTED = 'Preemption is not supported by skiff yet';

export function preemptionMessage(
  pod: Readonly<Pod>,
  statuses: ReadonlyMap<string, Status>,
  nodes: NodeInfoLister,
  numAllNodes: number,
): string {
  if (pod.spec.preemptionPolicy === 'Never')
    return 'preemption: not eligible due to preemptionPolicy=Never.';
  const priority = pod.spec.priority ?? 0;
  const verdicts: { reasons: readonly string[] }[] = [];
  for (const [name, status] of statuses) {
    if (status.code === 'UnschedulableAndUnresolvable') {
      verdicts.push({ reasons: [PREEMPTION_NOT_HELPFUL] });
      continue;
    }
    const lower = nodes.get(name)?.pods.some((p) => (p.pod.spec.priority ?? 0) < priority) ?? false;
    verdicts.push({ reasons: [lower ? NOT_SUPPORTED : NO_VICTIMS] });
  }
  const histogram = reasonHistogram(verdicts);
  return `preemption: 0/${numAllNodes} nodes are available: ${histogram.join(', ')}.`;
}
