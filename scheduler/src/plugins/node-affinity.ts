// NodeAffinity (PreFilter, Filter, PreScore, Score): spec.nodeSelector and
// spec.affinity.nodeAffinity. Filter: the node must carry every nodeSelector label and match one
// of the required terms. Score: the sum of the weights of the preferred terms the node matches,
// normalized so the best node gets 100. PreFilter narrows the nodes to look at when every
// required term pins metadata.name with In (what DaemonSet pods do), so a 5,000-node cluster
// filters one node instead of all.
import type { Node, NodeSelectorTerm, Pod } from '@skiff/api';
import {
  ActionType,
  nodeOf,
  MAX_NODE_SCORE,
  skip,
  unresolvable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/index.js';
import { matchesAnyTerm, matchesNodeSelector, matchesTerm } from './helpers/node-selector.js';
import { defaultNormalizeScore } from './helpers/normalize.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

export class NodeAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  static readonly pluginName = 'NodeAffinity';
  static readonly factory: PluginFactory = () => new NodeAffinity();
  readonly name = NodeAffinity.pluginName;

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Node',
        action: ActionType.Add | ActionType.UpdateNodeLabel,
        label: 'NodeLabelChange',
        // Kubernetes' isSchedulableAfterNodeChange: only a node the pod's required terms match.
        queueingHint: (pod, _oldObj, newObj) => {
          const node = nodeOf(newObj);
          if (!node) return 'Queue';
          return requiredMatches(pod, node) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }

  preFilter(_state: CycleState, pod: Readonly<Pod>): PreFilterResult | Status | undefined {
    const terms = requiredTerms(pod);
    if (!pod.spec.nodeSelector && !terms) return skip();
    if (!terms) return undefined;
    // Only when every term names nodes can the set of candidates be known up front.
    const names = new Set<string>();
    for (const term of terms) {
      const pinned = pinnedNodeNames(term);
      if (!pinned) return undefined;
      for (const n of pinned) names.add(n);
    }
    if (names.size === 0) return unresolvable(ERR_REASON_POD);
    return { nodeNames: names };
  }

  filter(_state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const node = nodeInfo.node;
    if (!node) return unresolvable('node not found');
    return requiredMatches(pod, node) ? undefined : unresolvable(ERR_REASON_POD);
  }

  preScore(_state: CycleState, pod: Readonly<Pod>): Status | undefined {
    return preferredTerms(pod).length === 0 ? skip() : undefined;
  }

  score(_state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    if (!node) return 0;
    let total = 0;
    for (const term of preferredTerms(pod)) {
      if (term.weight !== 0 && matchesTerm(node, term.preference)) total += term.weight;
    }
    return total;
  }

  normalizeScore(_state: CycleState, _pod: Readonly<Pod>, scores: NodeScore[]): undefined {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return undefined;
  }
}

/** nodeSelector and required node affinity both hold (Kubernetes' GetRequiredNodeAffinity). */
export function requiredMatches(pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  if (!matchesNodeSelector(node, pod.spec.nodeSelector)) return false;
  const terms = requiredTerms(pod);
  return terms === undefined || matchesAnyTerm(node, terms);
}

function requiredTerms(pod: Readonly<Pod>): readonly NodeSelectorTerm[] | undefined {
  return pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms;
}

function preferredTerms(pod: Readonly<Pod>) {
  return pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
}

/** The node names a term allows when it has a `metadata.name In [...]` field; else undefined. */
function pinnedNodeNames(term: Readonly<NodeSelectorTerm>): readonly string[] | undefined {
  let names: string[] | undefined;
  for (const r of term.matchFields ?? []) {
    if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
    const values = r.values ?? [];
    names = names ? names.filter((n) => values.includes(n)) : [...values];
  }
  return names;
}
