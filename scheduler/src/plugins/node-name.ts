// NodeName (Filter): a pod that names its node in spec.nodeName fits that node only. (Pods with a
// nodeName are normally bound already and never reach the scheduler; this covers the ones whose
// nodeName a profile must still check, as Kubernetes does.)
import type { Pod } from '@skiff/api';
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

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin, EnqueueExtensions {
  static readonly pluginName = 'NodeName';
  static readonly factory: PluginFactory = () => new NodeName();
  readonly name = NodeName.pluginName;

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', action: ActionType.Add, label: 'NodeAdd' }];
  }

  filter(_state: unknown, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const wanted = pod.spec.nodeName;
    if (!wanted || wanted === nodeInfo.name()) return undefined;
    return unresolvable(ERR_REASON_NODE_NAME);
  }
}
