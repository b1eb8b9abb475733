// The cluster's pods indexed for the plugins that look at every pod: InterPodAffinity and
// PodTopologySpread. Kubernetes walks every pod of every node in their PreFilter/PreScore (in
// 16 goroutines); that makes each attempt cost O(pods in the cluster), so scheduling n pods
// that carry such terms costs O(n²). Here the cache keeps two indexes up to date as pods come
// and go, and an attempt touches only the pods that can matter to it:
//
//   pods by namespace and label    a selector's candidates come from the posting list of its
//                                  most selective `key=value` / `key in (…)` / `key` requirement
//   existing pods' affinity terms  grouped by kind and by what they say (a workload's replicas
//                                  carry equal terms): "which existing terms match the incoming
//                                  pod" is one match per distinct term, then the group's pods
//
// The index is the cache's own, not copied into each snapshot: a scheduling cycle is
// synchronous, so the cache cannot change while an attempt reads it, and it always holds the
// same pods as the snapshot the attempt was given (pods on nodes the snapshot does not have are
// skipped by the callers, who look each pod's node up in the snapshot).
import type { Pod, Selector } from '@skiff/api';
import {
  NO_TERMS,
  podAffinityTerms,
  termSignature,
  type AffinityTerm,
  type PodAffinityTerms,
} from './affinity-term.js';
import type { PodInfo } from './node-info.js';

export type TermKind = keyof PodAffinityTerms;
const TERM_KINDS: readonly TermKind[] = [
  'requiredAffinity',
  'requiredAntiAffinity',
  'preferredAffinity',
  'preferredAntiAffinity',
];

/** Existing pods that carry the same term (same kind, weight, topology key and selectors). */
export interface TermGroup {
  readonly term: AffinityTerm;
  /** The preferred terms' weight; 0 for required terms. */
  readonly weight: number;
  /** The pods carrying the term, with how many times each carries it. */
  readonly pods: Map<PodInfo, number>;
}

class NamespacePods {
  readonly all = new Set<PodInfo>();
  /** label key → value → pods. */
  readonly byLabel = new Map<string, Map<string, Set<PodInfo>>>();
}

export class PodIndex {
  private readonly byNamespace = new Map<string, NamespacePods>();
  private readonly groups = new Map<TermKind, Map<string, TermGroup>>(
    TERM_KINDS.map((k) => [k, new Map()]),
  );

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  add(info: PodInfo): void {
    const ns = namespaceOf(info.pod);
    let pods = this.byNamespace.get(ns);
    if (!pods) {
      pods = new NamespacePods();
      this.byNamespace.set(ns, pods);
    }
    pods.all.add(info);
    for (const [key, value] of Object.entries(info.pod.metadata.labels ?? {})) {
      let values = pods.byLabel.get(key);
      if (!values) {
        values = new Map();
        pods.byLabel.set(key, values);
      }
      let set = values.get(value);
      if (!set) {
        set = new Set();
        values.set(value, set);
      }
      set.add(info);
    }
    this.forEachTerm(info, (kind, term, weight) => {
      const byKey = this.groups.get(kind);
      const key = `${weight}\0${termSignature(term)}`;
      let group = byKey?.get(key);
      if (!group) {
        group = { term, weight, pods: new Map() };
        byKey?.set(key, group);
      }
      group.pods.set(info, (group.pods.get(info) ?? 0) + 1);
    });
  }

  remove(info: PodInfo): void {
    const ns = namespaceOf(info.pod);
    const pods = this.byNamespace.get(ns);
    if (!pods) return;
    pods.all.delete(info);
    for (const [key, value] of Object.entries(info.pod.metadata.labels ?? {})) {
      const values = pods.byLabel.get(key);
      const set = values?.get(value);
      if (!values || !set) continue;
      set.delete(info);
      if (set.size === 0) values.delete(value);
      if (values.size === 0) pods.byLabel.delete(key);
    }
    if (pods.all.size === 0) this.byNamespace.delete(ns);
    this.forEachTerm(info, (kind, term, weight) => {
      const byKey = this.groups.get(kind);
      const key = `${weight}\0${termSignature(term)}`;
      const group = byKey?.get(key);
      if (!group) return;
      group.pods.delete(info);
      if (group.pods.size === 0) byKey?.delete(key);
    });
  }

  /** Namespaces that hold at least one pod. */
  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }

  /** Calls `fn` for every pod in `namespace` whose labels `selector` matches. */
  forEachMatching(namespace: string, selector: Selector, fn: (info: PodInfo) => void): void {
    const pods = this.byNamespace.get(namespace);
    if (!pods || selector.isNothing()) return;
    for (const candidates of candidateSets(pods, selector)) {
      for (const info of candidates) if (selector.matches(info.pod.metadata.labels)) fn(info);
    }
  }

  /** The groups of existing pods' terms of one kind. */
  termGroups(kind: TermKind): IterableIterator<TermGroup> {
    return (this.groups.get(kind) ?? new Map<string, TermGroup>()).values();
  }

  private forEachTerm(
    info: PodInfo,
    fn: (kind: TermKind, term: AffinityTerm, weight: number) => void,
  ): void {
    let terms: PodAffinityTerms = NO_TERMS;
    try {
      terms = podAffinityTerms(info.pod);
    } catch (err) {
      // The apiserver validates selectors, so this is a pod from a misbehaving server: its
      // terms cannot be matched, and the pod itself is still indexed by its labels.
      this.log(
        `pod ${namespaceOf(info.pod)}/${info.pod.metadata.name ?? ''}: affinity terms not indexed: ${String(err)}`,
      );
      return;
    }
    for (const kind of TERM_KINDS) {
      for (const term of terms[kind]) fn(kind, term, 'weight' in term ? term.weight : 0);
    }
  }
}

function namespaceOf(pod: Readonly<Pod>): string {
  return pod.metadata.namespace ?? 'default';
}

const EMPTY: readonly ReadonlySet<PodInfo>[] = [];

/**
 * The smallest superset of the selector's matches the index can name: the posting lists of its
 * most selective requirement that needs a label to be present (`=`, `in`, `exists`), else all
 * the namespace's pods. Disjoint sets, so no pod is named twice.
 */
function candidateSets(pods: NamespacePods, selector: Selector): readonly ReadonlySet<PodInfo>[] {
  let best: ReadonlySet<PodInfo>[] | undefined;
  let bestSize = pods.all.size;
  for (const r of selector.requirements()) {
    const values = pods.byLabel.get(r.key);
    let sets: ReadonlySet<PodInfo>[];
    if (r.operator === '=' || r.operator === '==' || r.operator === 'in') {
      if (!values) return EMPTY;
      sets = r.values.flatMap((v) => values.get(v) ?? []);
    } else if (r.operator === 'exists') {
      if (!values) return EMPTY;
      sets = [...values.values()];
    } else {
      continue;
    }
    const size = sets.reduce((n, s) => n + s.size, 0);
    if (size === 0) return EMPTY;
    if (size < bestSize || !best) {
      best = sets;
      bestSize = size;
    }
  }
  return best ?? [pods.all];
}
