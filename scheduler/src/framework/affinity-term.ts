// A pod (anti-)affinity term made ready to match pods, as Kubernetes' framework.AffinityTerm:
// the label selector parsed once, and the namespaces it covers. A term with neither `namespaces`
// nor `namespaceSelector` covers the namespace of the pod that carries it; an empty
// namespaceSelector covers every namespace; any other namespaceSelector is matched against the
// labels of the namespace of the pod being matched (from the scheduler's Namespace informer).
import type { Labels, Pod, PodAffinityTerm } from '@skiff/api';
import { labelSelectorAsSelector, type Selector } from '@skiff/api';

/** Set by the apiserver on every namespace: a namespace is always known to carry this label. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The labels of a namespace by name (what a namespaceSelector is matched against). */
export type NamespaceLabels = (namespace: string) => Labels;

/** Without a Namespace informer: every namespace carries its name label, nothing else known. */
export const nameLabelOnly: NamespaceLabels = (namespace) => ({
  [NAMESPACE_NAME_LABEL]: namespace,
});

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

/** Whether the term covers `namespace`, whose labels `namespaceLabels` knows. */
export function termCoversNamespace(
  term: AffinityTerm,
  namespace: string,
  namespaceLabels: NamespaceLabels,
): boolean {
  if (term.namespaces.has(namespace)) return true;
  const selector = term.namespaceSelector;
  if (!selector || selector.isNothing()) return false;
  return selector.isEverything() || selector.matches(namespaceLabels(namespace));
}

/** Whether `pod` is one of the pods the term selects (its namespace, then its labels). */
export function termMatches(
  term: AffinityTerm,
  pod: Readonly<Pod>,
  namespaceLabels: NamespaceLabels,
): boolean {
  return (
    termCoversNamespace(term, pod.metadata.namespace ?? 'default', namespaceLabels) &&
    term.selector.matches(pod.metadata.labels)
  );
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

export const NO_TERMS: PodAffinityTerms = {
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

/** A term's identity: pods of one workload carry equal terms, so they are counted as a group. */
export function termSignature(term: AffinityTerm): string {
  return [
    term.topologyKey,
    [...term.namespaces].sort().join(','),
    term.namespaceSelector
      ? `${term.namespaceSelector.isNothing() ? '!' : ''}${term.namespaceSelector.toString()}`
      : '-',
    `${term.selector.isNothing() ? '!' : ''}${term.selector.toString()}`,
  ].join('\0');
}
