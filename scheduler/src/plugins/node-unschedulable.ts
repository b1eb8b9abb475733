// NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods that tolerate
// the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
import { taintTolerated, type Pod } from '@skiff/api';
import {
  ActionType,
  unresolvable,
  type ClusterEvent,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type PluginFactory,
  type Status,
} from '../framework/index.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const unschedulableTaint = {
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
} as const;

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  static readonly pluginName = 'NodeUnschedulable';
  static readonly factory: PluginFactory = () => new NodeUnschedulable();
  readonly name = NodeUnschedulable.pluginName;

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Node',
        action: ActionType.Add | ActionType.UpdateNodeTaint,
        label: 'NodeSchedulable',
      },
    ];
  }

  filter(_state: unknown, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.node?.spec?.unschedulable) return undefined;
    if (taintTolerated(unschedulableTaint, pod.spec.tolerations)) return undefined;
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}
