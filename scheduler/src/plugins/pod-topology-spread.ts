// PodTopologySpread (PreFilter, Filter, PreScore, Score): spec.topologySpreadConstraints, as
// Kubernetes' podtopologyspread plugin. A constraint counts the pods its labelSelector matches
// (in the pod's namespace, not terminating) per topology domain (the value of topologyKey on
// the node); the skew of a domain is its count, plus one if the pod itself matches, minus the
// lowest count among the eligible domains (0 while there are fewer domains than minDomains).
//
// Which nodes make up the domains: nodes that carry every constraint's topologyKey and, per
// constraint, pass nodeAffinityPolicy (default Honor: the pod's nodeSelector and required node
// affinity) and nodeTaintsPolicy (default Ignore; Honor: the node's NoSchedule/NoExecute taints
// must be tolerated).
//
// DoNotSchedule constraints filter: a node whose domain would exceed maxSkew is Unschedulable
// (`node(s) didn't match pod topology spread constraints`). ScheduleAnyway constraints score:
// fewer matching pods in the node's domain is better, each constraint weighted by the log of its
// number of domains.
//
// A pod without constraints of its own gets the cluster-default ones (args.defaultConstraints;
// defaultingType System: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway), selecting
// what the Services and the ReplicaSet selecting the pod select (Handle.defaultSelector, from the
// scheduler's informers); a pod nothing selects is not spread. With the System defaults a node
// without a zone label is still scored by hostname.
//
// Matching pods are counted from the cache's pod index (framework/pod-index.ts): an attempt
// looks at the pods the selector can match, not at every pod of every node, and each
// constraint's lowest domain count is found once in PreFilter instead of once per node.
import type { Node, Pod, TopologySpreadConstraint } from '@skiff/api';
import { labelSelectorAsSelector, type Selector } from '@skiff/api';
import {
  ActionType,
  MAX_NODE_SCORE,
  podOf,
  skip,
  stateKey,
  unresolvable,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeInfoLister,
  type NodeScore,
  type PluginFactory,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueingHint,
  type ScorePlugin,
  type Status,
} from '../framework/index.js';
import { firstUntoleratedTaint, KEEP_OFF_EFFECTS } from './helpers/taints.js';
import { requiredMatches } from './node-affinity.js';
import {
  decodePodTopologySpreadArgs,
  type PodTopologySpreadArgs,
} from './pod-topology-spread-args.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const HOSTNAME_LABEL = 'kubernetes.io/hostname';
// Filter rejects many nodes per attempt with one of these two answers (a whole zone at once):
// shared, rather than a Status and its reasons list per node. Statuses are never changed once
// the runner has named their plugin.
const NODE_LABEL_NOT_MATCH = unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
const CONSTRAINTS_NOT_MATCH = unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
/** Distinct (constraint, pod placement fields) answers remembered at most. */
const DOMAINS_MEMO_SIZE = 64;

/** A constraint ready to count with: the selector parsed, matchLabelKeys merged in. */
interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
}

function spreadConstraints(
  pod: Readonly<Pod>,
  declared: readonly TopologySpreadConstraint[],
  when: TopologySpreadConstraint['whenUnsatisfiable'],
  defaultSelector?: Selector,
): SpreadConstraint[] {
  const result: SpreadConstraint[] = [];
  for (const c of declared) {
    if (c.whenUnsatisfiable !== when) continue;
    let selector = defaultSelector ?? labelSelectorAsSelector(c.labelSelector);
    // matchLabelKeys: the pod's own values for those keys narrow the selector (one revision of a
    // Deployment spreads among itself).
    for (const key of c.matchLabelKeys ?? []) {
      const value = pod.metadata.labels?.[key];
      if (value !== undefined) selector = selector.add({ key, operator: 'in', values: [value] });
    }
    result.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return result;
}

/** Whether the node's pods count toward the constraint's domains (the inclusion policies). */
function nodeIncluded(c: SpreadConstraint, pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  if (c.honorNodeAffinity && !requiredMatches(pod, node)) return false;
  if (
    c.honorNodeTaints &&
    firstUntoleratedTaint(node.spec?.taints, pod.spec.tolerations, KEEP_OFF_EFFECTS)
  ) {
    return false;
  }
  return true;
}

function hasAllTopologyKeys(
  node: Readonly<Node>,
  constraints: readonly SpreadConstraint[],
): boolean {
  const labels = node.metadata.labels ?? {};
  return constraints.every((c) => labels[c.topologyKey] !== undefined);
}

/** Pods on the node, in the pod's namespace and not terminating, that the selector matches. */
function countMatching(pods: readonly PodInfo[], selector: Selector, namespace: string): number {
  let n = 0;
  for (const { pod } of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if ((pod.metadata.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(pod.metadata.labels)) n++;
  }
  return n;
}

interface PreFilterState {
  readonly constraints: readonly SpreadConstraint[];
  /** Per constraint: matching pods by topology value, for every eligible domain (0 included). */
  readonly counts: readonly Map<string, number>[];
  /** Per constraint: the lowest count among the domains (0 while fewer than minDomains). */
  readonly minCounts: readonly number[];
  /** Per constraint: 1 if the incoming pod matches its own selector (it adds to the skew). */
  readonly selfMatches: readonly number[];
}

interface PreScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Nodes lacking a topology key: scored 0. */
  readonly ignoredNodes: ReadonlySet<string>;
  /** Per constraint: matching pods by topology value (not kept for the hostname key). */
  readonly counts: readonly Map<string, number>[];
  /** Per constraint: log(number of domains + 2), so constraints over many domains weigh more. */
  readonly weights: readonly number[];
}

const preFilterKey = stateKey<PreFilterState>('PreFilterPodTopologySpread');
const preScoreKey = stateKey<PreScoreState>('PreScorePodTopologySpread');

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  static readonly pluginName = 'PodTopologySpread';
  static readonly factory: PluginFactory = (args, handle) =>
    new PodTopologySpread(decodePodTopologySpreadArgs(args), handle);
  readonly name = PodTopologySpread.pluginName;
  private readonly systemDefaulted: boolean;
  /** eligibleDomains' answers, valid for the nodes of one nodeGeneration. */
  private readonly domainsMemo = new Map<string, readonly string[]>();
  private domainsGeneration = -1;

  constructor(
    private readonly args: PodTopologySpreadArgs,
    private readonly handle: Pick<Handle, 'snapshot' | 'defaultSelector'>,
  ) {
    this.systemDefaulted = args.defaultingType === 'System';
  }

  /** The pod's own constraints, else the cluster defaults selecting the pod's workload. */
  private constraintsFor(
    pod: Readonly<Pod>,
    when: TopologySpreadConstraint['whenUnsatisfiable'],
  ): SpreadConstraint[] {
    const own = pod.spec.topologySpreadConstraints ?? [];
    if (own.length > 0) return spreadConstraints(pod, own, when);
    const defaults = this.args.defaultConstraints.filter((c) => c.whenUnsatisfiable === when);
    if (defaults.length === 0) return [];
    const selector = this.handle.defaultSelector(pod);
    if (selector.isEverything() || selector.isNothing()) return [];
    return spreadConstraints(pod, defaults, when, selector);
  }

  /**
   * The topology values of the nodes whose pods count toward `c` (the inclusion policies, and
   * every constraint's key present). They depend on the nodes and on a few fields of the pod
   * only, so they are remembered while no Node changes: without that, each attempt of a pod
   * with a spread constraint would walk every node of the cluster.
   */
  private eligibleDomains(
    snapshot: NodeInfoLister,
    pod: Readonly<Pod>,
    c: SpreadConstraint,
    constraints: readonly SpreadConstraint[],
  ): readonly string[] {
    const generation = snapshot.nodeGeneration();
    if (generation !== this.domainsGeneration || this.domainsMemo.size >= DOMAINS_MEMO_SIZE) {
      this.domainsMemo.clear();
      this.domainsGeneration = generation;
    }
    const key = JSON.stringify([
      c.topologyKey,
      constraints.map((x) => x.topologyKey),
      c.honorNodeAffinity ? [pod.spec.nodeSelector, pod.spec.affinity?.nodeAffinity] : null,
      c.honorNodeTaints ? pod.spec.tolerations : null,
    ]);
    const known = this.domainsMemo.get(key);
    if (known) return known;
    const domains = new Set<string>();
    for (const nodeInfo of snapshot.list()) {
      const node = nodeInfo.node;
      if (!node || !hasAllTopologyKeys(node, constraints) || !nodeIncluded(c, pod, node)) continue;
      domains.add(node.metadata.labels?.[c.topologyKey] ?? '');
    }
    const list = [...domains];
    this.domainsMemo.set(key, list);
    return list;
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Pod',
        action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
        label: 'AssignedPodChange',
        queueingHint: (pod, oldObj, newObj) =>
          this.isSchedulableAfterPodChange(pod, oldObj, newObj),
      },
      {
        resource: 'Node',
        action:
          ActionType.Add |
          ActionType.Delete |
          ActionType.UpdateNodeLabel |
          ActionType.UpdateNodeTaint,
        label: 'NodeChange',
      },
    ];
  }

  /**
   * Kubernetes' isSchedulableAfterPodChange: only an assigned pod in the parked pod's namespace
   * is counted by its constraints. An added or deleted pod helps if a DoNotSchedule constraint's
   * selector matches it (a domain's count moved); an updated one if its labels changed so that
   * some constraint matches it now and did not before, or the other way round.
   */
  private isSchedulableAfterPodChange(
    pod: Readonly<Pod>,
    oldObj: unknown,
    newObj: unknown,
  ): QueueingHint {
    const before = podOf(oldObj);
    const after = podOf(newObj);
    const namespace = pod.metadata.namespace ?? 'default';
    const counted = (other: Readonly<Pod>): boolean =>
      Boolean(other.spec.nodeName) && (other.metadata.namespace ?? 'default') === namespace;
    if ((after && !counted(after)) || (before && !counted(before))) return 'QueueSkip';
    const constraints = this.constraintsFor(pod, 'DoNotSchedule');
    const matchedBy = (other: Readonly<Pod>): boolean =>
      constraints.some((c) => c.selector.matches(other.metadata.labels));
    if (before && after) {
      return constraints.some(
        (c) =>
          c.selector.matches(before.metadata.labels) !== c.selector.matches(after.metadata.labels),
      )
        ? 'Queue'
        : 'QueueSkip';
    }
    const changed = after ?? before;
    if (!changed) return 'Queue';
    return matchedBy(changed) ? 'Queue' : 'QueueSkip';
  }

  preFilter(state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const constraints = this.constraintsFor(pod, 'DoNotSchedule');
    if (constraints.length === 0) return skip();
    const snapshot = this.handle.snapshot();
    // Every eligible domain starts at 0: a domain without matching pods is the emptiest.
    const counts = constraints.map(
      (c) => new Map(this.eligibleDomains(snapshot, pod, c, constraints).map((v) => [v, 0])),
    );
    const namespace = pod.metadata.namespace ?? 'default';
    constraints.forEach((c, i) => {
      const domainCounts = counts[i];
      if (!domainCounts) return;
      forEachCountedPod(snapshot, namespace, c.selector, (node) => {
        if (!hasAllTopologyKeys(node, constraints) || !nodeIncluded(c, pod, node)) return;
        const value = node.metadata.labels?.[c.topologyKey] ?? '';
        domainCounts.set(value, (domainCounts.get(value) ?? 0) + 1);
      });
    });
    state.write(preFilterKey, {
      constraints,
      counts,
      minCounts: constraints.map((c, i) => globalMin(counts[i] ?? new Map(), c.minDomains)),
      selfMatches: constraints.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0)),
    });
    return undefined;
  }

  filter(state: CycleState, _pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read(preFilterKey);
    if (!s) return undefined;
    const labels = nodeInfo.node?.metadata.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const domainCounts = s.counts[i];
      if (!c || !domainCounts) continue;
      const value = labels[c.topologyKey];
      if (value === undefined) return NODE_LABEL_NOT_MATCH;
      const skew = (domainCounts.get(value) ?? 0) + (s.selfMatches[i] ?? 0) - (s.minCounts[i] ?? 0);
      if (skew > c.maxSkew) return CONSTRAINTS_NOT_MATCH;
    }
    return undefined;
  }

  preScore(
    state: CycleState,
    pod: Readonly<Pod>,
    filtered: readonly NodeInfo[],
  ): Status | undefined {
    const constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return skip();
    // With the system defaults, a node without a zone label is still scored by hostname.
    const requireAll =
      (pod.spec.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    const ignoredNodes = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const nodeInfo of filtered) {
      const node = nodeInfo.node;
      if (!node) continue;
      if (requireAll && !hasAllTopologyKeys(node, constraints)) {
        ignoredNodes.add(nodeInfo.name());
        continue;
      }
      // Only the domains of feasible nodes are counted (per node for the hostname key, in Score).
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME_LABEL) return;
        counts[i]?.set(node.metadata.labels?.[c.topologyKey] ?? '', 0);
      });
    }
    const weights = constraints.map((c, i) => {
      const domains =
        c.topologyKey === HOSTNAME_LABEL
          ? filtered.length - ignoredNodes.size
          : (counts[i]?.size ?? 0);
      return Math.log(domains + 2);
    });
    const namespace = pod.metadata.namespace ?? 'default';
    const snapshot = this.handle.snapshot();
    constraints.forEach((c, i) => {
      const domainCounts = counts[i];
      if (c.topologyKey === HOSTNAME_LABEL || !domainCounts) return;
      forEachCountedPod(snapshot, namespace, c.selector, (node) => {
        if (requireAll && !hasAllTopologyKeys(node, constraints)) return;
        if (!nodeIncluded(c, pod, node)) return;
        const value = node.metadata.labels?.[c.topologyKey] ?? '';
        const current = domainCounts.get(value);
        if (current !== undefined) domainCounts.set(value, current + 1);
      });
    });
    state.write(preScoreKey, { constraints, ignoredNodes, counts, weights });
    return undefined;
  }

  score(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const s = state.read(preScoreKey);
    if (!s || s.ignoredNodes.has(nodeInfo.name())) return 0;
    const labels = nodeInfo.node?.metadata.labels ?? {};
    const namespace = pod.metadata.namespace ?? 'default';
    let score = 0;
    s.constraints.forEach((c, i) => {
      const value = labels[c.topologyKey];
      if (value === undefined) return;
      const count =
        c.topologyKey === HOSTNAME_LABEL
          ? countMatching(nodeInfo.pods, c.selector, namespace)
          : (s.counts[i]?.get(value) ?? 0);
      score += count * (s.weights[i] ?? 0) + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: Readonly<Pod>, scores: NodeScore[]): undefined {
    const ignored = state.read(preScoreKey)?.ignoredNodes;
    // More matching pods is worse: the node with the fewest gets 100, ignored nodes 0.
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const s of scores) {
      if (ignored?.has(s.name)) continue;
      if (s.score < min) min = s.score;
      if (s.score > max) max = s.score;
    }
    for (const s of scores) {
      if (ignored?.has(s.name)) s.score = 0;
      else if (max === 0) s.score = MAX_NODE_SCORE;
      else s.score = Math.trunc((MAX_NODE_SCORE * (max + min - s.score)) / max);
    }
    return undefined;
  }
}

/** The lowest count among the domains; 0 while there are fewer domains than minDomains. */
function globalMin(domainCounts: ReadonlyMap<string, number>, minDomains: number): number {
  if (domainCounts.size < minDomains) return 0;
  let min = Number.MAX_SAFE_INTEGER;
  for (const n of domainCounts.values()) if (n < min) min = n;
  return min === Number.MAX_SAFE_INTEGER ? 0 : min;
}

/**
 * Calls `fn` with the node of every pod the selector matches in `namespace` that counts toward
 * spreading: not terminating, on a node the snapshot has.
 */
function forEachCountedPod(
  snapshot: NodeInfoLister,
  namespace: string,
  selector: Selector,
  fn: (node: Readonly<Node>) => void,
): void {
  snapshot.podIndex().forEachMatching(namespace, selector, ({ pod }) => {
    if (pod.metadata.deletionTimestamp) return;
    const node = snapshot.get(pod.spec.nodeName ?? '')?.node;
    if (node) fn(node);
  });
}
