// Kubernetes' default plugins (kubescheduler.config.k8s.io/v1, multiPoint) with their score
// weights, in Kubernetes' order — the order of Filter plugins decides under which reason a node
// is counted in "0/3 nodes are available: …". Plugins skiff does not have yet
// (SchedulingGates, the volume plugins, DefaultPreemption) are left out of the defaults; naming
// them in a config is refused as unknown.
export interface PluginRef {
  readonly name: string;
  /** Score weight; 0 means "not set" (defaulted to 1). */
  readonly weight: number;
}

export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: 'PrioritySort', weight: 0 },
  { name: 'NodeUnschedulable', weight: 0 },
  { name: 'NodeName', weight: 0 },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts', weight: 0 },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder', weight: 0 },
];

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const EXTENSION_POINTS = [
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];
