// A pod (anti-)affinity term made ready to match pods, as Kubernetes' framework.AffinityTerm:
// the label selector parsed once, and the namespaces it covers. A term with neither `namespaces`
// nor `namespaceSelector` covers the namespace of the pod that carries it; an empty
// namespaceSelector covers every namespace.
//
// skiff's scheduler has no Namespace informer, so a non-empty namespaceSelector is matched
// against the labels every namespace is known to carry — `kubernetes.io/metadata.name: <name>`,
// which the apiserver sets on each namespace. Selectors on other namespace labels match no
// namespace (an affinity term then finds no pods; an anti-affinity term excludes nothing).
import type { Pod, PodAffinityTerm } from '@skiff/api';
import { labelSelectorAsSelector, type Selector } from '@skiff/api';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface AffinityTerm {
  readonly selector: Selector;
  readonly namespaces: ReadonlySet<string>;
  /** undefined: no namespaceSelector. */
  readonly namespaceSelector: Selector | undefined;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export function affinityTerm(owner: Readonly<Pod>, term: Readonly<PodAffinityTerm>): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && !term.namespaceSelector) {
    namespaces.add(owner.metadata.namespace ?? 'default');
  }
  return {
    selector: labelSelectorAsSelector(term.labelSelector),
    namespaces,
    namespaceSelector: term.namespaceSelector
      ? labelSelectorAsSelector(term.namespaceSelector)
      : undefined,
    topologyKey: term.topologyKey,
  };
}

/** Whether `pod` is one of the pods the term selects (its namespace, then its labels). */
export function termMatches(term: AffinityTerm, pod: Readonly<Pod>): boolean {
  const namespace = pod.metadata.namespace ?? 'default';
  const inNamespace =
    term.namespaces.has(namespace) ||
    (term.namespaceSelector?.matches({ [NAMESPACE_NAME_LABEL]: namespace }) ?? false);
  return inNamespace && term.selector.matches(pod.metadata.labels);
}

/**
 * A pod's terms, parsed. A selector that cannot parse throws (the apiserver validated it; the
 * framework turns a throw into an Error status).
 */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

const NO_TERMS: PodAffinityTerms = {
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
};

// Existing pods' terms are read for every pod scheduled near them: parse each pod object once.
const parsed = new WeakMap<Readonly<Pod>, PodAffinityTerms>();

export function podAffinityTerms(pod: Readonly<Pod>): PodAffinityTerms {
  const affinity = pod.spec.affinity;
  if (!affinity?.podAffinity && !affinity?.podAntiAffinity) return NO_TERMS;
  const cached = parsed.get(pod);
  if (cached) return cached;
  const required = (terms: readonly PodAffinityTerm[] | undefined) =>
    (terms ?? []).map((t) => affinityTerm(pod, t));
  const preferred = (
    terms: readonly { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined,
  ) => (terms ?? []).map((t) => ({ ...affinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
  const result: PodAffinityTerms = {
    requiredAffinity: required(
      affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    ),
    requiredAntiAffinity: required(
      affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    ),
    preferredAffinity: preferred(
      affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
    preferredAntiAffinity: preferred(
      affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
  };
  parsed.set(pod, result);
  return result;
}
