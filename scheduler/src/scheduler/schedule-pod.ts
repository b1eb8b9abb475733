// The scheduling algorithm for one pod (Kubernetes' schedulePod): PreFilter, Filter over the
// snapshot until enough feasible nodes are found, PreScore and Score over those, and a winner
// picked at random among the best (so equal nodes share the load). Synchronous: the snapshot
// cannot change while it runs. Whatever the outcome, the rotation moves on by the nodes Filter
// examined, as Kubernetes' nextStartNodeIndex does.
import type { Pod } from '@skiff/api';
import {
  asErrorStatus,
  findFeasibleNodes,
  numFeasibleNodesToFind,
  unresolvable,
  type CycleState,
  type Framework,
  NO_SCORES,
  type NodeInfo,
  type NodeRotation,
  type NodeScoreTable,
  type Status,
} from '../framework/index.js';
import type { Snapshot } from '../cache/index.js';
import { FitError } from './fit-error.js';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface ScheduleResult {
  readonly suggestedHost: string;
  /** Nodes Filter looked at (feasible + rejected); the next attempt starts this far on. */
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  /** Every plugin's score for every feasible node (empty when one node was feasible). */
  readonly scores: NodeScoreTable;
  /** The feasible nodes' names. */
  readonly feasible: readonly string[];
  /** Nodes rejected on the way (by Filter, or left out by a PreFilter result) and why. */
  readonly rejected: ReadonlyMap<string, Status>;
}

export interface ScheduleContext {
  readonly fwk: Framework;
  readonly state: CycleState;
  readonly pod: Readonly<Pod>;
  readonly snapshot: Snapshot;
  /** Where Filter starts in the node list; moved on by this attempt (round robin). */
  readonly rotation: NodeRotation;
  /** A number in [0, 1) for breaking ties between the best nodes. */
  readonly random: () => number;
}

export function schedulePod(ctx: ScheduleContext): ScheduleResult | FitError | Status {
  const { fwk, state, pod, snapshot } = ctx;
  const allNodes = snapshot.list();
  if (allNodes.length === 0) return asErrorStatus(new Error(ERR_NO_NODES_AVAILABLE));
  const found = findNodesThatFitPod(ctx, allNodes);
  if (!('feasible' in found)) return found;
  const { feasible, processed, rejected } = found;
  const names = feasible.map((n) => n.name());
  const only = feasible[0];
  if (feasible.length === 1 && only) {
    return {
      suggestedHost: only.name(),
      evaluatedNodes: processed,
      feasibleNodes: 1,
      scores: NO_SCORES,
      feasible: names,
      rejected,
    };
  }
  const preScore = fwk.runPreScorePlugins(state, pod, feasible);
  if (preScore) return preScore;
  const { scores, status } = fwk.runScorePlugins(state, pod, feasible, names);
  if (status) return status;
  return {
    suggestedHost: selectHost(scores, ctx.random),
    evaluatedNodes: processed,
    feasibleNodes: feasible.length,
    scores,
    feasible: names,
    rejected,
  };
}

function findNodesThatFitPod(
  ctx: ScheduleContext,
  allNodes: readonly NodeInfo[],
): { feasible: NodeInfo[]; processed: number; rejected: Map<string, Status> } | FitError | Status {
  const { fwk, state, pod, snapshot, rotation } = ctx;
  const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  const pre = fwk.runPreFilterPlugins(state, pod, allNodes);
  if (pre.status) {
    if (pre.status.code === 'Error') return pre.status;
    const statuses = new Map(allNodes.map((n) => [n.name(), pre.status as Status]));
    return new FitError(podName, allNodes.length, {
      statuses,
      preFilterMsg: pre.status.message(),
      unschedulablePlugins: new Set([pre.status.plugin]),
    });
  }
  let nodes = allNodes;
  const statuses = new Map<string, Status>();
  const unschedulablePlugins = new Set<string>();
  if (pre.nodeNames) {
    // Only the nodes the PreFilter results allow; the rest are counted as rejected by them.
    nodes = [...pre.nodeNames].flatMap((name) => snapshot.get(name) ?? []);
    const absent = unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`);
    for (const n of allNodes) if (!pre.nodeNames.has(n.name())) statuses.set(n.name(), absent);
    for (const p of pre.narrowedBy) unschedulablePlugins.add(p);
  }
  // Without Score plugins any feasible node is as good as another: the first one will do.
  const wanted =
    fwk.plugins.score.length === 0
      ? 1
      : numFeasibleNodesToFind(fwk.percentageOfNodesToScore, nodes.length);
  const outcome = findFeasibleNodes(
    fwk,
    state,
    pod,
    nodes,
    rotation.start(nodes.length),
    wanted,
    statuses,
  );
  // Also after an error or a failure: every node gets its turn to be examined first.
  rotation.advance(outcome.processed, allNodes.length);
  if (outcome.error) return outcome.error;
  for (const plugin of outcome.rejectedBy) unschedulablePlugins.add(plugin);
  if (outcome.feasible.length > 0) {
    return { feasible: outcome.feasible, processed: outcome.processed, rejected: statuses };
  }
  return new FitError(podName, allNodes.length, { statuses, unschedulablePlugins });
}

/**
 * The node with the highest total; ties broken uniformly at random. Kubernetes samples a
 * reservoir, one random number per tied node; with identical nodes that is one per feasible
 * node, each a boxed double for the garbage collector. Here the ties are counted first and
 * one number picks among them, in scoring order.
 */
export function selectHost(scores: NodeScoreTable, random: () => number): string {
  if (scores.length === 0) return '';
  let bestTotal = scores.total(0);
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const total = scores.total(i);
    if (total > bestTotal) {
      bestTotal = total;
      ties = 1;
    } else if (total === bestTotal) {
      ties++;
    }
  }
  let pick = Math.min(ties - 1, Math.floor(random() * ties));
  for (let i = 0; i < scores.length; i++) {
    if (scores.total(i) !== bestTotal) continue;
    if (pick === 0) return scores.name(i);
    pick--;
  }
  return '';
}
