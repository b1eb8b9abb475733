// Drives one plugin the way the framework runner would, for the table-driven plugin tests:
// PreFilter (a Skip means the Filter is not run) then Filter on one node; PreScore, Score on
// every node and NormalizeScore.
import { everything, type Node, type Pod } from '@skiff/api';
import {
  CycleState,
  isFilter,
  isPreFilter,
  isPreScore,
  isScore,
  nameLabelOnly,
  NodeInfo,
  PodIndex,
  podInfoOf,
  Status,
  type Handle,
  type NodeInfoLister,
  type NodeScore,
  type Plugin,
} from '../../framework/index.js';

/** A node running `pods` (bound to it: spec.nodeName set, as the cache would hold them). */
export function nodeInfoOf(node: Node, ...pods: Pod[]): NodeInfo {
  const info = new NodeInfo(node);
  for (const pod of pods) {
    const bound = pod.spec.nodeName
      ? pod
      : { ...pod, spec: { ...pod.spec, nodeName: node.metadata.name } };
    info.addPodInfo(podInfoOf(bound));
  }
  return info;
}

/** The plugin's verdict for `pod` on the node: undefined is Success. */
export function filterOutcome(plugin: Plugin, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
  const state = new CycleState();
  if (isPreFilter(plugin)) {
    const answer = plugin.preFilter(state, pod, [nodeInfo]);
    // A narrowed node set only saves work: Filter still decides each node, so it is run.
    if (answer instanceof Status) {
      if (answer.code === 'Skip') return undefined;
      return answer;
    }
  }
  if (!isFilter(plugin)) throw new Error(`${plugin.name} has no Filter`);
  return plugin.filter(state, pod, nodeInfo);
}

/** Normalized scores by node name; a PreScore Skip gives no scores at all. */
export function scoresOf(plugin: Plugin, pod: Pod, nodeInfos: NodeInfo[]): Record<string, number> {
  const state = new CycleState();
  if (isPreScore(plugin)) {
    const status = plugin.preScore(state, pod, nodeInfos);
    if (status?.code === 'Skip') return {};
    if (status) throw new Error(`PreScore failed: ${status.message()}`);
  }
  if (!isScore(plugin)) throw new Error(`${plugin.name} has no Score`);
  const scores: NodeScore[] = nodeInfos.map((n) => {
    const s = plugin.score(state, pod, n);
    if (s instanceof Status) throw new Error(`Score failed: ${s.message()}`);
    return { name: n.name(), score: s };
  });
  plugin.normalizeScore?.(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

/** `{code, reasons}` or 'Success', for compact table expectations. */
export function verdict(status: Status | undefined): string {
  return status ? `${status.code}: ${status.message()}` : 'Success';
}

export { podInfoOf };

/**
 * Every node's verdict for `pod`, PreFilter seeing all the nodes at once (what InterPodAffinity
 * and PodTopologySpread count across the cluster).
 */
export function filterVerdicts(
  plugin: Plugin,
  pod: Pod,
  nodeInfos: NodeInfo[],
): Record<string, string> {
  const state = new CycleState();
  if (isPreFilter(plugin)) {
    const answer = plugin.preFilter(state, pod, nodeInfos);
    if (answer instanceof Status) {
      const skipped = answer.code === 'Skip';
      return Object.fromEntries(
        nodeInfos.map((n) => [n.name(), skipped ? 'Success' : verdict(answer)]),
      );
    }
  }
  if (!isFilter(plugin)) throw new Error(`${plugin.name} has no Filter`);
  return Object.fromEntries(
    nodeInfos.map((n) => [n.name(), verdict(plugin.filter(state, pod, n))]),
  );
}

/**
 * A Handle over fixed NodeInfos (their pods indexed as the cache would), for plugins that look
 * at the whole cluster; namespace labels and workload selectors as given (default: only the
 * namespace name label, and nothing selects any pod).
 */
export function snapshotOf(
  nodeInfos: NodeInfo[],
  options: Partial<Pick<Handle, 'namespaceLabels' | 'defaultSelector'>> = {},
): Pick<Handle, 'snapshot' | 'namespaceLabels' | 'defaultSelector'> {
  const index = new PodIndex();
  for (const n of nodeInfos) for (const p of n.pods) index.add(p);
  const lister: NodeInfoLister = {
    list: () => nodeInfos,
    get: (name) => nodeInfos.find((n) => n.name() === name),
    podIndex: () => index,
    nodeGeneration: () => 0,
    numNodesWithImage: (image) => nodeInfos.filter((n) => n.imageStates.has(image)).length,
  };
  return {
    snapshot: () => lister,
    namespaceLabels: options.namespaceLabels ?? nameLabelOnly,
    defaultSelector: options.defaultSelector ?? (() => everything()),
  };
}
