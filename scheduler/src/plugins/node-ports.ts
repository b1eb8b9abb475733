// NodePorts (PreFilter, Filter): a pod asking for a hostPort fits only nodes where no pod already
// holds that protocol/port on the same address (0.0.0.0 holds it on every address).
import type { Pod } from '@skiff/api';
import {
  ActionType,
  podHostPorts,
  skip,
  stateKey,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type HostPort,
  type NodeInfo,
  type PluginFactory,
  type PreFilterPlugin,
  type Status,
} from '../framework/index.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
const wantedPorts = stateKey<readonly HostPort[]>('PreFilterNodePorts');

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  static readonly pluginName = 'NodePorts';
  static readonly factory: PluginFactory = () => new NodePorts();
  readonly name = NodePorts.pluginName;

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Pod', action: ActionType.Delete, label: 'AssignedPodDelete' },
      { resource: 'Node', action: ActionType.Add, label: 'NodeAdd' },
    ];
  }

  preFilter(state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return skip();
    state.write(wantedPorts, ports);
    return undefined;
  }

  filter(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const ports = state.read(wantedPorts) ?? podHostPorts(pod);
    if (ports.some((p) => nodeInfo.usedPorts.conflicts(p))) return unschedulable(ERR_REASON_PORTS);
    return undefined;
  }
}
