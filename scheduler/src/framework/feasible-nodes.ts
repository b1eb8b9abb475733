// Filtering in a large cluster: Kubernetes stops looking once it has found "enough" feasible
// nodes — percentageOfNodesToScore of the cluster, adaptive by default — and starts each attempt
// where the last one stopped, so consecutive pods are spread over the whole cluster instead of
// all landing on the first nodes of the list.
//
// Kubernetes filters in parallel goroutines over chunks of nodes and cancels the rest once enough
// passed. JavaScript runs plugins on one thread, so here the nodes are walked in order from the
// start index and the walk stops at exactly the node that made the count: the same nodes are
// examined as in a parallel run that finished its chunks in order, and none are wasted.
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

export interface FilterOutcome {
  readonly feasible: NodeInfo[];
  /** Why each rejected node was rejected (its first failing filter): the map passed in. */
  readonly statuses: Map<string, Status>;
  /** The plugins that rejected at least one node. */
  readonly rejectedBy: Set<string>;
  /** Nodes examined: the next attempt starts this many nodes further on. */
  readonly processed: number;
  /** Set when a plugin failed with Error: the attempt ends. */
  readonly error?: Status;
}

/**
 * Runs Filter over `nodes` from `start` (wrapping) until `wanted` nodes have passed; rejected
 * nodes' statuses go into `statuses` (which may already hold PreFilter's rejections).
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
  const feasible: NodeInfo[] = [];
  const rejectedBy = new Set<string>();
  const n = nodes.length;
  let processed = 0;
  for (; processed < n && feasible.length < wanted; processed++) {
    const node = nodes[(start + processed) % n];
    if (!node) continue;
    const status = fwk.runFilterPlugins(state, pod, node);
    if (!status) {
      feasible.push(node);
      continue;
    }
    if (status.code === 'Error')
      return { feasible, statuses, rejectedBy, processed: processed + 1, error: status };
    statuses.set(node.name(), status);
    rejectedBy.add(status.plugin);
  }
  return { feasible, statuses, rejectedBy, processed };
}
