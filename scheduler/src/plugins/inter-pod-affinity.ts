// InterPodAffinity (PreFilter, Filter, PreScore, Score): spec.affinity.podAffinity and
// podAntiAffinity, as Kubernetes' interpodaffinity plugin.
//
// Filter, with counts PreFilter computes once per attempt keyed by topology pair (key, value):
// - the pod's required affinity terms: a node passes if, for every term, its topology domain
//   holds a pod matching every term (or no pod anywhere matches and the pod matches its own
//   terms — the first pod of a group that wants to be together);
// - the pod's required anti-affinity terms: the node's domain must hold no pod a term matches;
// - existing pods' required anti-affinity: no pod in the node's domain may have a term that
//   matches the incoming pod.
// Score: the preferred terms' weights, both ways (the pod's preferred terms over existing pods,
// existing pods' preferred terms and required affinity — at hardPodAffinityWeight — over the
// pod), summed per topology pair and scaled to 0…100 between the lowest and the highest node.
//
// The counting reads the cache's pod index (framework/pod-index.ts), not every pod of every node
// as Kubernetes does: the pods a term selects come from the label index, and existing pods'
// terms are matched once per distinct term — an attempt costs what can match it, not the
// cluster's size. A namespaceSelector is matched against the namespace's labels.
import type { Pod } from '@skiff/api';
import {
  ActionType,
  ConfigError,
  MAX_NODE_SCORE,
  optionalInt,
  podAffinityTerms,
  podOf,
  skip,
  stateKey,
  strictObject,
  termCoversNamespace,
  termMatches,
  unresolvable,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type PluginFactory,
  type PreFilterPlugin,
  type PreScorePlugin,
  type AffinityTerm,
  type NamespaceLabels,
  type NodeInfoLister,
  type PodAffinityTerms,
  type PodIndex,
  type PodInfo,
  type QueueingHint,
  type ScorePlugin,
  type Status,
  type TermKind,
} from '../framework/index.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY =
  "node(s) didn't satisfy existing pods anti-affinity rules";

// Filter's answers, shared by every node it rejects (a Status and its reasons list per rejected
// node otherwise); the runner names their plugin once and nothing changes them after.
const AFFINITY_NOT_MATCH = unresolvable(ERR_REASON_AFFINITY);
const ANTI_AFFINITY_NOT_MATCH = unschedulable(ERR_REASON_ANTI_AFFINITY);
const EXISTING_ANTI_AFFINITY_NOT_MATCH = unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);

/**
 * Counts (or weights) by topology pair, as topology key → value → count: a node is looked up by
 * the few topology keys that were counted, not by each of its labels.
 */
class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();

  add(key: string, value: string, by: number): void {
    let values = this.byKey.get(key);
    if (!values) {
      values = new Map();
      this.byKey.set(key, values);
    }
    values.set(value, (values.get(value) ?? 0) + by);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /** The sum over the node's topology pairs. */
  sumFor(labels: Readonly<Record<string, string>>): number {
    let total = 0;
    for (const [key, values] of this.byKey) {
      const value = labels[key];
      if (value !== undefined) total += values.get(value) ?? 0;
    }
    return total;
  }

  /** Whether any of the node's topology pairs has a positive count. */
  anyFor(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, values] of this.byKey) {
      const value = labels[key];
      if (value !== undefined && (values.get(value) ?? 0) > 0) return true;
    }
    return false;
  }
}

interface PreFilterState {
  readonly terms: PodAffinityTerms;
  /** Pods matching all the pod's required affinity terms, per term's topology pair. */
  readonly affinityCounts: TopologyCounts;
  /** Pods matching each required anti-affinity term of the pod, per topology pair. */
  readonly antiAffinityCounts: TopologyCounts;
  /** Existing pods whose required anti-affinity matches the incoming pod, per topology pair. */
  readonly existingAntiAffinityCounts: TopologyCounts;
}

const preFilterKey = stateKey<PreFilterState>('PreFilterInterPodAffinity');
const preScoreKey = stateKey<TopologyCounts>('PreScoreInterPodAffinity');

export interface InterPodAffinityArgs {
  /** Weight of an existing pod's required affinity term that the incoming pod matches. */
  readonly hardPodAffinityWeight: number;
  /** Skip scoring existing pods' preferred terms when the incoming pod has none of its own. */
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

/** InterPodAffinityArgs from the config, defaulted and validated (field paths from `args`). */
export function decodeInterPodAffinityArgs(raw: unknown): InterPodAffinityArgs {
  const args = strictObject(raw, '', [
    'hardPodAffinityWeight',
    'ignorePreferredTermsOfExistingPods',
  ]);
  const ignore = args?.['ignorePreferredTermsOfExistingPods'] ?? false;
  if (typeof ignore !== 'boolean') {
    throw new ConfigError(
      'ignorePreferredTermsOfExistingPods',
      `Invalid value: ${JSON.stringify(ignore)}: must be a boolean`,
    );
  }
  return {
    hardPodAffinityWeight:
      optionalInt(args?.['hardPodAffinityWeight'], 'hardPodAffinityWeight', 0, 100) ?? 1,
    ignorePreferredTermsOfExistingPods: ignore,
  };
}

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  static readonly pluginName = 'InterPodAffinity';
  static readonly factory: PluginFactory = (args, handle) =>
    new InterPodAffinity(decodeInterPodAffinityArgs(args), handle);
  readonly name = InterPodAffinity.pluginName;

  constructor(
    private readonly args: InterPodAffinityArgs,
    private readonly handle: Pick<Handle, 'snapshot' | 'namespaceLabels'>,
  ) {}

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
        action: ActionType.Add | ActionType.UpdateNodeLabel,
        label: 'NodeLabelChange',
      },
    ];
  }

  /**
   * Kubernetes' isSchedulableAfterPodChange: only an assigned pod can be a peer. An added pod
   * helps if it matches all the parked pod's required affinity terms (one pod must satisfy them
   * all); an updated one if it now matches them and did not before, or no longer matches all
   * its anti-affinity terms; a deleted one if it matched all its anti-affinity terms. Beyond
   * Kubernetes (whose hint leaves this case to the periodic flush): a deleted pod whose own
   * required anti-affinity matched the parked pod also helps — it was what `existing pods
   * anti-affinity rules` rejected.
   */
  private isSchedulableAfterPodChange(
    pod: Readonly<Pod>,
    oldObj: unknown,
    newObj: unknown,
  ): QueueingHint {
    const before = podOf(oldObj);
    const after = podOf(newObj);
    if ((after && !after.spec.nodeName) || (before && !before.spec.nodeName)) return 'QueueSkip';
    const { requiredAffinity, requiredAntiAffinity } = podAffinityTerms(pod);
    const matchesAll = (terms: readonly AffinityTerm[], other: Readonly<Pod>): boolean =>
      terms.length > 0 && terms.every((t) => termMatches(t, other, this.handle.namespaceLabels));
    if (before && after) {
      if (!matchesAll(requiredAffinity, before) && matchesAll(requiredAffinity, after))
        return 'Queue';
      if (matchesAll(requiredAntiAffinity, before) && !matchesAll(requiredAntiAffinity, after))
        return 'Queue';
      return 'QueueSkip';
    }
    if (after) return matchesAll(requiredAffinity, after) ? 'Queue' : 'QueueSkip';
    if (!before) return 'Queue';
    if (matchesAll(requiredAntiAffinity, before)) return 'Queue';
    const itsAntiAffinity = podAffinityTerms(before).requiredAntiAffinity;
    return itsAntiAffinity.some((t) => termMatches(t, pod, this.handle.namespaceLabels))
      ? 'Queue'
      : 'QueueSkip';
  }

  preFilter(state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const snapshot = this.handle.snapshot();
    const index = snapshot.podIndex();
    const namespaceLabels = this.handle.namespaceLabels;
    const terms = podAffinityTerms(pod);
    const affinityCounts = new TopologyCounts();
    const antiAffinityCounts = new TopologyCounts();
    const existingAntiAffinityCounts = new TopologyCounts();
    // Existing pods' required anti-affinity: one match per distinct term, then its pods.
    for (const group of index.termGroups('requiredAntiAffinity')) {
      if (!termMatches(group.term, pod, namespaceLabels)) continue;
      const key = group.term.topologyKey;
      for (const [existing, times] of group.pods) {
        const value = nodeLabelsOf(snapshot, existing)?.[key];
        if (value !== undefined) existingAntiAffinityCounts.add(key, value, times);
      }
    }
    // The pod's required affinity counts a pod only if it matches every term (all must hold in
    // one domain): the first term's matches, checked against the rest.
    const [first, ...rest] = terms.requiredAffinity;
    if (first) {
      forEachPodMatching(index, first, namespaceLabels, (existing) => {
        if (!rest.every((t) => termMatches(t, existing.pod, namespaceLabels))) return;
        const labels = nodeLabelsOf(snapshot, existing);
        if (!labels) return;
        for (const term of terms.requiredAffinity) {
          const value = labels[term.topologyKey];
          if (value !== undefined) affinityCounts.add(term.topologyKey, value, 1);
        }
      });
    }
    for (const term of terms.requiredAntiAffinity) {
      forEachPodMatching(index, term, namespaceLabels, (existing) => {
        const value = nodeLabelsOf(snapshot, existing)?.[term.topologyKey];
        if (value !== undefined) antiAffinityCounts.add(term.topologyKey, value, 1);
      });
    }
    const hasRequired = terms.requiredAffinity.length + terms.requiredAntiAffinity.length > 0;
    if (!hasRequired && existingAntiAffinityCounts.isEmpty()) return skip();
    state.write(preFilterKey, {
      terms,
      affinityCounts,
      antiAffinityCounts,
      existingAntiAffinityCounts,
    });
    return undefined;
  }

  filter(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read(preFilterKey);
    if (!s) return undefined;
    const labels = nodeInfo.node?.metadata.labels ?? {};
    if (!satisfiesAffinity(s, pod, labels, this.handle.namespaceLabels)) {
      return AFFINITY_NOT_MATCH;
    }
    for (const term of s.terms.requiredAntiAffinity) {
      const value = labels[term.topologyKey];
      if (value !== undefined && s.antiAffinityCounts.get(term.topologyKey, value) > 0) {
        return ANTI_AFFINITY_NOT_MATCH;
      }
    }
    if (s.existingAntiAffinityCounts.anyFor(labels)) {
      return EXISTING_ANTI_AFFINITY_NOT_MATCH;
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const terms = podAffinityTerms(pod);
    const hasPreferred = terms.preferredAffinity.length + terms.preferredAntiAffinity.length > 0;
    if (!hasPreferred && this.args.ignorePreferredTermsOfExistingPods) return skip();
    const snapshot = this.handle.snapshot();
    const index = snapshot.podIndex();
    const namespaceLabels = this.handle.namespaceLabels;
    const scores = new TopologyCounts();
    // The pod's preferred terms, over the existing pods they select.
    const own = [
      ...terms.preferredAffinity.map((term) => ({ term, by: term.weight })),
      ...terms.preferredAntiAffinity.map((term) => ({ term, by: -term.weight })),
    ];
    for (const { term, by } of own) {
      if (by === 0) continue;
      forEachPodMatching(index, term, namespaceLabels, (existing) => {
        const value = nodeLabelsOf(snapshot, existing)?.[term.topologyKey];
        if (value !== undefined) scores.add(term.topologyKey, value, by);
      });
    }
    // Existing pods' terms that select the incoming pod: one match per distinct term. Their
    // required affinity weighs hardPodAffinityWeight.
    const theirs: [TermKind, number][] = [
      ['requiredAffinity', this.args.hardPodAffinityWeight],
      ['preferredAffinity', 1],
      ['preferredAntiAffinity', -1],
    ];
    for (const [kind, factor] of theirs) {
      for (const group of index.termGroups(kind)) {
        const by = kind === 'requiredAffinity' ? factor : factor * group.weight;
        if (by === 0 || !termMatches(group.term, pod, namespaceLabels)) continue;
        const key = group.term.topologyKey;
        for (const [existing, times] of group.pods) {
          const value = nodeLabelsOf(snapshot, existing)?.[key];
          if (value !== undefined) scores.add(key, value, by * times);
        }
      }
    }
    if (scores.isEmpty()) return skip();
    state.write(preScoreKey, scores);
    return undefined;
  }

  score(state: CycleState, _pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const scores = state.read(preScoreKey);
    if (!scores) return 0;
    return scores.sumFor(nodeInfo.node?.metadata.labels ?? {});
  }

  normalizeScore(_state: CycleState, _pod: Readonly<Pod>, scores: NodeScore[]): undefined {
    // Negative totals (anti-affinity) are possible: scale between min(0, lowest) and max(0, highest).
    let max = 0;
    let min = 0;
    for (const s of scores) {
      if (s.score > max) max = s.score;
      if (s.score < min) min = s.score;
    }
    const range = max - min;
    for (const s of scores) {
      s.score = range > 0 ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / range) : 0;
    }
    return undefined;
  }
}

function satisfiesAffinity(
  s: PreFilterState,
  pod: Readonly<Pod>,
  labels: Readonly<Record<string, string>>,
  namespaceLabels: NamespaceLabels,
): boolean {
  let podsExist = true;
  for (const term of s.terms.requiredAffinity) {
    const value = labels[term.topologyKey];
    // The node must carry every term's topology key.
    if (value === undefined) return false;
    if (s.affinityCounts.get(term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed anywhere as long as no pod in the
  // cluster matches the terms yet and the pod matches them itself.
  return (
    s.affinityCounts.isEmpty() &&
    s.terms.requiredAffinity.every((t) => termMatches(t, pod, namespaceLabels))
  );
}

/** The labels of the node the pod is on, if the snapshot has that node. */
function nodeLabelsOf(
  snapshot: NodeInfoLister,
  existing: PodInfo,
): Readonly<Record<string, string>> | undefined {
  return snapshot.get(existing.pod.spec.nodeName ?? '')?.node?.metadata.labels;
}

/** Calls `fn` for every cached pod the term selects, from the index (namespaces, then labels). */
function forEachPodMatching(
  index: PodIndex,
  term: AffinityTerm,
  namespaceLabels: NamespaceLabels,
  fn: (existing: PodInfo) => void,
): void {
  const namespaces = term.namespaceSelector
    ? [...index.namespaces()].filter((ns) => termCoversNamespace(term, ns, namespaceLabels))
    : term.namespaces;
  for (const ns of namespaces) index.forEachMatching(ns, term.selector, fn);
}
