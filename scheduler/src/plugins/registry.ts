// The in-tree registry: every plugin a profile may name, by name (Kubernetes'
// NewInTreeRegistry).
import type { Registry } from '../framework/index.js';
import { DefaultBinder } from './default-binder.js';
import { ImageLocality } from './image-locality.js';
import { InterPodAffinity } from './inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity.js';
import { NodeName } from './node-name.js';
import { NodePorts } from './node-ports.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { PodTopologySpread } from './pod-topology-spread.js';
import { PrioritySort } from './priority-sort.js';
import { TaintToleration } from './taint-toleration.js';

export const inTreeRegistry: Registry = {
  [PrioritySort.pluginName]: PrioritySort.factory,
  [NodeUnschedulable.pluginName]: NodeUnschedulable.factory,
  [NodeName.pluginName]: NodeName.factory,
  [TaintToleration.pluginName]: TaintToleration.factory,
  [NodeAffinity.pluginName]: NodeAffinity.factory,
  [NodePorts.pluginName]: NodePorts.factory,
  [NodeResourcesFit.pluginName]: NodeResourcesFit.factory,
  [PodTopologySpread.pluginName]: PodTopologySpread.factory,
  [InterPodAffinity.pluginName]: InterPodAffinity.factory,
  [NodeResourcesBalancedAllocation.pluginName]: NodeResourcesBalancedAllocation.factory,
  [ImageLocality.pluginName]: ImageLocality.factory,
  [DefaultBinder.pluginName]: DefaultBinder.factory,
};
