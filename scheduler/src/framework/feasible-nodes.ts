// Filtering in a large cluster (Kubernetes' findNodesThatPassFilters): stop looking once
// "enough" feasible nodes are found — percentageOfNodesToScore of the cluster, adaptive by
// default — and start each attempt where the last one stopped (nextStartNodeIndex), so
// consecutive pods are spread over the whole cluster instead of all landing on the first nodes
// of the list.
//
// Kubernetes runs Filter in 16 goroutines that take chunks of nodes (Parallelizer: chunk size
// max(1, min(√n, n/16 + 1))) and cancels them once enough nodes passed; a worker finishes the
// node it is on, so a few nodes past the count may be examined, and the extra feasible ones are
// dropped. The result is not ordered: which nodes are found depends on the goroutines' timing.
//
// Here one thread walks the nodes from the start index and stops at exactly the node that made
// the count: the nodes examined are those of a parallel run in which every chunk finished in
// the order it was taken, the one outcome of Kubernetes' search that wastes no Filter call. Why
// not worker threads: JavaScript shares no objects between threads, so each worker would need
// its own copy of the snapshot, kept current as every pod is assumed (one message per pod per
// worker), and the cycle state PreFilter computed (one per attempt). On this 2-core machine one
// message round trip costs ~40 µs and copying one node with two pods ~20 µs, while Filter costs
// under 1 µs a node: the copies would cost more than the filtering they spread.
// See docs/decisions/0011-scheduler-filters-on-one-thread.md.
import type { Pod } from '@skiff/api';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Framework } from './runner.js';
import type { Status } from './status.js';

/** Below this many nodes every node is examined; above, at least this many are found. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never goes below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to look for, as Kubernetes' numFeasibleNodesToFind: all of them in
 * clusters under 100 nodes; otherwise `percentage` of the nodes (0 or undefined: 50 − nodes/125,
 * at least 5) but never fewer than 100.
 */
export function numFeasibleNodesToFind(
  percentage: number | undefined,
  numAllNodes: number,
): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage ?? 0;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/**
 * Where the next attempt's Filter starts in the node list (Kubernetes' nextStartNodeIndex).
 * Every attempt moves it on by the nodes it examined — whether it bound, found no node, or
 * failed with an error — so every node gets its turn to be examined first.
 */
export class NodeRotation {
  constructor(private next = 0) {}

  /** The index in a list of `length` nodes where the next search starts. */
  start(length: number): number {
    return length === 0 ? 0 : this.next % length;
  }

  /** An attempt examined `processed` nodes of a cluster of `numAllNodes`. */
  advance(processed: number, numAllNodes: number): void {
    this.next = numAllNodes === 0 ? 0 : (this.next + processed) % numAllNodes;
  }
}

export interface FilterOutcome {
  readonly feasible: NodeInfo[];
  /** Why each rejected node was rejected (its first failing filter): the map passed in. */
  readonly statuses: Map<string, Status>;
  /** The plugins that rejected at least one node. */
  readonly rejectedBy: Set<string>;
  /** Nodes examined (feasible + rejected by Filter): the next attempt starts this far on. */
  readonly processed: number;
  /** Set when a plugin failed with Error: the attempt ends. */
  readonly error?: Status;
}

/**
 * Runs Filter over `nodes` from `start` (wrapping) until `wanted` nodes have passed; rejected
 * nodes' statuses go into `statuses` (which may already hold PreFilter's rejections). A profile
 * without Filter plugins takes the `wanted` nodes from `start` as they are.
 */
export function findFeasibleNodes(
  fwk: Framework,
  state: CycleState,
  pod: Readonly<Pod>,
  nodes: readonly NodeInfo[],
  start: number,
  wanted: number,
  statuses: Map<string, Status> = new Map(),
): FilterOutcome {
  const rejectedBy = new Set<string>();
  const n = nodes.length;
  // Sized for the nodes wanted and trimmed at the end: grown by push to hundreds of nodes, it
  // would be copied a dozen times on the way (a sixth of what an attempt allocated).
  const feasible = new Array<NodeInfo>(Math.min(wanted, n));
  let found = 0;
  const withFilters = fwk.plugins.filter.length > 0;
  let processed = 0;
  for (; processed < n && found < wanted; processed++) {
    const node = nodes[(start + processed) % n];
    if (!node) continue;
    const status = withFilters ? fwk.runFilterPlugins(state, pod, node) : undefined;
    if (!status) {
      feasible[found++] = node;
      continue;
    }
    if (status.code === 'Error') {
      feasible.length = found;
      return { feasible, statuses, rejectedBy, processed: processed + 1, error: status };
    }
    statuses.set(node.name(), status);
    rejectedBy.add(status.plugin);
  }
  feasible.length = found;
  return { feasible, statuses, rejectedBy, processed };
}
