// TaintToleration (Filter, PreScore, Score): a node's NoSchedule and NoExecute taints keep off
// every pod that does not tolerate them (UnschedulableAndUnresolvable: evicting pods cannot remove
// a taint). PreferNoSchedule taints only score: the more of them a node has that the pod does not
// tolerate, the lower the node ranks. (NoExecute eviction of running pods is node lifecycle's.)
import { taintTolerated, type Pod, type Taint, type Toleration } from '@skiff/api';
import {
  ActionType,
  MAX_NODE_SCORE,
  nodeOf,
  stateKey,
  unresolvable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/index.js';
import { defaultNormalizeScore } from './helpers/normalize.js';
import { firstUntoleratedTaint, KEEP_OFF_EFFECTS } from './helpers/taints.js';

const preferNoScheduleTolerations = stateKey<readonly Toleration[]>('PreScoreTaintToleration');

export class TaintToleration
  implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  static readonly pluginName = 'TaintToleration';
  static readonly factory: PluginFactory = () => new TaintToleration();
  readonly name = TaintToleration.pluginName;

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Node',
        action: ActionType.Add | ActionType.UpdateNodeTaint,
        label: 'NodeTaintChange',
        // Kubernetes' isSchedulableAfterNodeChange: only a node whose taints the pod tolerates.
        queueingHint: (pod, _oldObj, newObj) => {
          const node = nodeOf(newObj);
          if (!node) return 'Queue';
          return this.untolerated(pod, node.spec?.taints) ? 'QueueSkip' : 'Queue';
        },
      },
    ];
  }

  private untolerated(pod: Readonly<Pod>, taints: readonly Taint[] | undefined): Taint | undefined {
    return firstUntoleratedTaint(taints, pod.spec.tolerations, KEEP_OFF_EFFECTS);
  }

  filter(_state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const taint = this.untolerated(pod, nodeInfo.node?.spec?.taints);
    if (!taint) return undefined;
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: Readonly<Pod>): undefined {
    // Only tolerations that apply to PreferNoSchedule (or to every effect) can lift a penalty.
    const relevant = (pod.spec.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    state.write(preferNoScheduleTolerations, relevant);
    return undefined;
  }

  score(state: CycleState, _pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const tolerations = state.read(preferNoScheduleTolerations) ?? [];
    let intolerable = 0;
    for (const taint of nodeInfo.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !taintTolerated(taint, tolerations)) intolerable++;
    }
    return intolerable;
  }

  normalizeScore(_state: CycleState, _pod: Readonly<Pod>, scores: NodeScore[]): undefined {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return undefined;
  }
}
