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
import type { Pod } from '@skiff/api';
import {
  ActionType,
  ConfigError,
  MAX_NODE_SCORE,
  optionalInt,
  skip,
  stateKey,
  strictObject,
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
  type ScorePlugin,
  type Status,
} from '../framework/index.js';
import {
  podAffinityTerms,
  termMatches,
  type AffinityTerm,
  type PodAffinityTerms,
  type WeightedAffinityTerm,
} from './helpers/affinity-term.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY =
  "node(s) didn't satisfy existing pods anti-affinity rules";

/** Counts by topology pair; the key is `<topologyKey>\0<value>`. */
type TopologyCounts = Map<string, number>;

const pairKey = (key: string, value: string): string => `${key}\0${value}`;

function increment(counts: TopologyCounts, key: string, value: string, by: number): void {
  const k = pairKey(key, value);
  counts.set(k, (counts.get(k) ?? 0) + by);
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
    private readonly handle: Pick<Handle, 'snapshot'>,
  ) {}

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Pod',
        action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
        label: 'AssignedPodChange',
      },
      {
        resource: 'Node',
        action: ActionType.Add | ActionType.UpdateNodeLabel,
        label: 'NodeLabelChange',
      },
    ];
  }

  preFilter(state: CycleState, pod: Readonly<Pod>, nodes: readonly NodeInfo[]): Status | undefined {
    const terms = podAffinityTerms(pod);
    const affinityCounts: TopologyCounts = new Map();
    const antiAffinityCounts: TopologyCounts = new Map();
    const existingAntiAffinityCounts: TopologyCounts = new Map();
    const hasRequired = terms.requiredAffinity.length + terms.requiredAntiAffinity.length > 0;
    for (const nodeInfo of nodes) {
      const labels = nodeInfo.node?.metadata.labels;
      if (!labels) continue;
      for (const existing of nodeInfo.podsWithRequiredAntiAffinity) {
        for (const term of podAffinityTerms(existing.pod).requiredAntiAffinity) {
          const value = labels[term.topologyKey];
          if (value !== undefined && termMatches(term, pod)) {
            increment(existingAntiAffinityCounts, term.topologyKey, value, 1);
          }
        }
      }
      if (!hasRequired) continue;
      for (const existing of nodeInfo.pods) {
        countRequiredTerms(terms, existing.pod, labels, affinityCounts, antiAffinityCounts);
      }
    }
    if (!hasRequired && existingAntiAffinityCounts.size === 0) return skip();
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
    if (!satisfiesAffinity(s, pod, labels)) return unresolvable(ERR_REASON_AFFINITY);
    for (const term of s.terms.requiredAntiAffinity) {
      const value = labels[term.topologyKey];
      if (
        value !== undefined &&
        (s.antiAffinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) > 0
      ) {
        return unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [key, value] of Object.entries(labels)) {
        if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) {
          return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
        }
      }
    }
    return undefined;
  }

  preScore(state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const terms = podAffinityTerms(pod);
    const hasPreferred = terms.preferredAffinity.length + terms.preferredAntiAffinity.length > 0;
    if (!hasPreferred && this.args.ignorePreferredTermsOfExistingPods) return skip();
    const scores: TopologyCounts = new Map();
    for (const nodeInfo of this.handle.snapshot().list()) {
      // Without preferred terms of its own, only pods with terms can score the incoming pod.
      const existingPods = hasPreferred ? nodeInfo.pods : nodeInfo.podsWithAffinity;
      if (existingPods.length === 0) continue;
      const labels = nodeInfo.node?.metadata.labels;
      if (!labels || Object.keys(labels).length === 0) continue;
      for (const existing of existingPods) {
        this.scoreExistingPod(terms, pod, existing.pod, labels, scores);
      }
    }
    if (scores.size === 0) return skip();
    state.write(preScoreKey, scores);
    return undefined;
  }

  score(state: CycleState, _pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const scores = state.read(preScoreKey);
    if (!scores) return 0;
    let total = 0;
    for (const [key, value] of Object.entries(nodeInfo.node?.metadata.labels ?? {})) {
      total += scores.get(pairKey(key, value)) ?? 0;
    }
    return total;
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

  private scoreExistingPod(
    terms: PodAffinityTerms,
    pod: Readonly<Pod>,
    existing: Readonly<Pod>,
    labels: Readonly<Record<string, string>>,
    scores: TopologyCounts,
  ): void {
    addWeights(terms.preferredAffinity, existing, labels, scores, 1);
    addWeights(terms.preferredAntiAffinity, existing, labels, scores, -1);
    const theirs = podAffinityTerms(existing);
    if (this.args.hardPodAffinityWeight > 0) {
      for (const term of theirs.requiredAffinity) {
        addWeight(term, this.args.hardPodAffinityWeight, pod, labels, scores, 1);
      }
    }
    addWeights(theirs.preferredAffinity, pod, labels, scores, 1);
    addWeights(theirs.preferredAntiAffinity, pod, labels, scores, -1);
  }
}

/** Counts `existing` against the incoming pod's required terms, in its node's topology pairs. */
function countRequiredTerms(
  terms: PodAffinityTerms,
  existing: Readonly<Pod>,
  labels: Readonly<Record<string, string>>,
  affinityCounts: TopologyCounts,
  antiAffinityCounts: TopologyCounts,
): void {
  // Affinity counts a pod only if it matches every term (all must hold in one domain).
  if (
    terms.requiredAffinity.length > 0 &&
    terms.requiredAffinity.every((t) => termMatches(t, existing))
  ) {
    for (const term of terms.requiredAffinity) {
      const value = labels[term.topologyKey];
      if (value !== undefined) increment(affinityCounts, term.topologyKey, value, 1);
    }
  }
  for (const term of terms.requiredAntiAffinity) {
    const value = labels[term.topologyKey];
    if (value !== undefined && termMatches(term, existing)) {
      increment(antiAffinityCounts, term.topologyKey, value, 1);
    }
  }
}

function satisfiesAffinity(
  s: PreFilterState,
  pod: Readonly<Pod>,
  labels: Readonly<Record<string, string>>,
): boolean {
  let podsExist = true;
  for (const term of s.terms.requiredAffinity) {
    const value = labels[term.topologyKey];
    // The node must carry every term's topology key.
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed anywhere as long as no pod in the
  // cluster matches the terms yet and the pod matches them itself.
  return s.affinityCounts.size === 0 && s.terms.requiredAffinity.every((t) => termMatches(t, pod));
}

function addWeight(
  term: AffinityTerm,
  weight: number,
  target: Readonly<Pod>,
  labels: Readonly<Record<string, string>>,
  scores: TopologyCounts,
  sign: 1 | -1,
): void {
  if (weight === 0) return;
  const value = labels[term.topologyKey];
  if (value !== undefined && termMatches(term, target)) {
    increment(scores, term.topologyKey, value, weight * sign);
  }
}

function addWeights(
  terms: readonly WeightedAffinityTerm[],
  target: Readonly<Pod>,
  labels: Readonly<Record<string, string>>,
  scores: TopologyCounts,
  sign: 1 | -1,
): void {
  for (const term of terms) addWeight(term, term.weight, target, labels, scores, sign);
}
