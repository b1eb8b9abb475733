// NodeResourcesFit (PreFilter, Filter, PreScore, Score): the node must have room for what the pod
// requests — cpu, memory, ephemeral-storage, extended resources such as nvidia.com/gpu, and one
// more pod under its `pods` allocatable — counting pods already there and pods assumed there.
// Scoring strategy from the args (Kubernetes' NodeResourcesFitArgs.scoringStrategy):
//   LeastAllocated (default)  prefer nodes with the most room left: spreads load
//   MostAllocated             prefer the fullest nodes: packs, so empty nodes can be removed
//   RequestedToCapacityRatio  a piecewise-linear score of utilization, shaped by the args
import type { Pod } from '@skiff/api';
import {
  ActionType,
  ConfigError,
  CPU,
  EPHEMERAL_STORAGE,
  MAX_NODE_SCORE,
  MEMORY,
  NodeInfo,
  nodeOf,
  optionalArray,
  optionalInt,
  optionalString,
  podInfoOf,
  strictObject,
  unschedulable,
  stateKey,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueingHint,
  type ScorePlugin,
  type Status,
} from '../framework/index.js';
import {
  allocatableAndRequested,
  decodeResourceSpecs,
  ResourceAmounts,
  type ResourceSpec,
} from './helpers/resource-allocation.js';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface UtilizationShapePoint {
  /** 0…100 */
  readonly utilization: number;
  /** 0…10 (scaled ×10 to node scores) */
  readonly score: number;
}

export interface NodeResourcesFitArgs {
  readonly ignoredResources: readonly string[];
  readonly ignoredResourceGroups: readonly string[];
  readonly scoringStrategy: {
    readonly type: ScoringStrategyType;
    readonly resources: readonly ResourceSpec[];
    readonly shape: readonly UtilizationShapePoint[];
  };
}

const podInfoKey = stateKey<PodInfo>('PreFilterNodeResourcesFit');
const strategies: readonly ScoringStrategyType[] = [
  'LeastAllocated',
  'MostAllocated',
  'RequestedToCapacityRatio',
];

export class NodeResourcesFit
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  static readonly pluginName = 'NodeResourcesFit';
  static readonly factory: PluginFactory = (args) => new NodeResourcesFit(decodeFitArgs(args));
  readonly name = NodeResourcesFit.pluginName;
  private readonly amounts = new ResourceAmounts();
  private readonly scorer: (requested: Float64Array, allocatable: Float64Array) => number;

  constructor(readonly args: NodeResourcesFitArgs) {
    const { type, resources, shape } = args.scoringStrategy;
    const weights = resources.map((r) => r.weight);
    this.scorer =
      type === 'MostAllocated'
        ? (req, alloc) => weightedInt(weights, req, alloc, mostRequested)
        : type === 'RequestedToCapacityRatio'
          ? requestedToCapacityRatio(weights, shape)
          : (req, alloc) => weightedInt(weights, req, alloc, leastRequested);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      {
        resource: 'Pod',
        action: ActionType.Delete | ActionType.UpdatePodScaleDown,
        label: 'AssignedPodDelete',
      },
      {
        resource: 'Node',
        action: ActionType.Add | ActionType.UpdateNodeAllocatable,
        label: 'NodeAllocatableChange',
        queueingHint: (pod, _oldObj, newObj) => this.fitsEmptyNode(pod, newObj),
      },
    ];
  }

  /**
   * Kubernetes' isSchedulableAfterNodeChange: a node added or grown is worth another try only if
   * the pod would fit it were it empty — a node too small for the pod on its own never will be.
   */
  private fitsEmptyNode(pod: Readonly<Pod>, newObj: unknown): QueueingHint {
    const node = nodeOf(newObj);
    if (!node) return 'Queue';
    return this.insufficientResources(podInfoOf(pod), new NodeInfo(node)) ? 'QueueSkip' : 'Queue';
  }

  preFilter(state: CycleState, pod: Readonly<Pod>): undefined {
    state.write(podInfoKey, podInfoOf(pod));
    return undefined;
  }

  filter(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    const insufficient = this.insufficientResources(
      state.read(podInfoKey) ?? podInfoOf(pod),
      nodeInfo,
    );
    return insufficient ? unschedulable(...insufficient) : undefined;
  }

  /**
   * The reasons, in Kubernetes' order: `Too many pods`, then `Insufficient <resource>` each;
   * undefined when the pod fits (the common case allocates nothing: this runs for every node).
   */
  insufficientResources(pod: PodInfo, nodeInfo: NodeInfo): string[] | undefined {
    const { allocatable, requested } = nodeInfo;
    const want = pod.requests;
    const tooMany = nodeInfo.pods.length + 1 > allocatable.allowedPodNumber;
    const cpu = want.milliCPU > 0 && want.milliCPU > allocatable.milliCPU - requested.milliCPU;
    const memory = want.memory > 0 && want.memory > allocatable.memory - requested.memory;
    const storage =
      want.ephemeralStorage > 0 &&
      want.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage;
    // The common case, checked without allocating (no closure, no array): the pod fits.
    if (!tooMany && !cpu && !memory && !storage && want.scalar.size === 0) return undefined;
    const reasons: string[] = [];
    if (tooMany) reasons.push('Too many pods');
    if (cpu) reasons.push(`Insufficient ${CPU}`);
    if (memory) reasons.push(`Insufficient ${MEMORY}`);
    if (storage) reasons.push(`Insufficient ${EPHEMERAL_STORAGE}`);
    for (const [name, amount] of want.scalar) {
      if (amount === 0 || this.ignored(name)) continue;
      if (amount > allocatable.get(name) - requested.get(name))
        reasons.push(`Insufficient ${name}`);
    }
    return reasons.length > 0 ? reasons : undefined;
  }

  preScore(state: CycleState, pod: Readonly<Pod>): undefined {
    if (!state.read(podInfoKey)) state.write(podInfoKey, podInfoOf(pod));
    return undefined;
  }

  score(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const info = state.read(podInfoKey) ?? podInfoOf(pod);
    const { resources } = this.args.scoringStrategy;
    allocatableAndRequested(resources, nodeInfo, info, false, this.amounts);
    return this.scorer(this.amounts.requested, this.amounts.allocatable);
  }

  private ignored(name: string): boolean {
    if (this.args.ignoredResources.includes(name)) return true;
    const slash = name.indexOf('/');
    return slash > 0 && this.args.ignoredResourceGroups.includes(name.slice(0, slash));
  }
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function mostRequested(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

/**
 * Σ score(resource) × weight / Σ weight over the resources the node has; integer division, or
 * rounding for RequestedToCapacityRatio (each as Kubernetes).
 */
function weightedInt(
  weights: readonly number[],
  requested: Float64Array,
  allocatable: Float64Array,
  score: (requested: number, capacity: number) => number,
  round: (x: number) => number = Math.trunc,
): number {
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < weights.length; i++) {
    const capacity = allocatable[i] ?? 0;
    if (capacity === 0) continue;
    const weight = weights[i] ?? 0;
    total += score(requested[i] ?? 0, capacity) * weight;
    weightSum += weight;
  }
  return weightSum === 0 ? 0 : round(total / weightSum);
}

function requestedToCapacityRatio(
  weights: readonly number[],
  shape: readonly UtilizationShapePoint[],
): (requested: Float64Array, allocatable: Float64Array) => number {
  // Shape scores are 0…10; node scores 0…100.
  const points = shape.map((p) => ({
    utilization: p.utilization,
    score: p.score * (MAX_NODE_SCORE / 10),
  }));
  const f = (utilization: number): number => {
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (!p || utilization > p.utilization) continue;
      const prev = points[i - 1];
      if (!prev) return p.score;
      return (
        prev.score +
        Math.trunc(
          ((p.score - prev.score) * (utilization - prev.utilization)) /
            (p.utilization - prev.utilization),
        )
      );
    }
    return points[points.length - 1]?.score ?? 0;
  };
  return (requested, allocatable) =>
    weightedInt(
      weights,
      requested,
      allocatable,
      (req, cap) => f(Math.trunc((req * 100) / cap)),
      Math.round,
    );
}

const DEFAULT_SHAPE: readonly UtilizationShapePoint[] = [
  { utilization: 0, score: 10 },
  { utilization: 100, score: 0 },
];

/** NodeResourcesFitArgs from the config, defaulted and validated (field paths from `args`). */
export function decodeFitArgs(raw: unknown): NodeResourcesFitArgs {
  const args = strictObject(raw, '', [
    'ignoredResources',
    'ignoredResourceGroups',
    'scoringStrategy',
  ]);
  const strategy = strictObject(args?.['scoringStrategy'], 'scoringStrategy', [
    'type',
    'resources',
    'requestedToCapacityRatio',
  ]);
  const type = optionalString(strategy?.['type'], 'scoringStrategy.type') ?? 'LeastAllocated';
  if (!strategies.includes(type as ScoringStrategyType)) {
    throw new ConfigError(
      'scoringStrategy.type',
      `Unsupported value: ${JSON.stringify(type)}: supported values: ${strategies.map((s) => `"${s}"`).join(', ')}`,
    );
  }
  const resources = decodeResourceSpecs(strategy?.['resources'], 'scoringStrategy.resources');
  const ratio = strictObject(
    strategy?.['requestedToCapacityRatio'],
    'scoringStrategy.requestedToCapacityRatio',
    ['shape'],
  );
  const shapePath = 'scoringStrategy.requestedToCapacityRatio.shape';
  const shape = (optionalArray(ratio?.['shape'], shapePath) ?? DEFAULT_SHAPE).map((p, i) => {
    const o = strictObject(p, `${shapePath}[${i}]`, ['utilization', 'score']);
    return {
      utilization: optionalInt(o?.['utilization'], `${shapePath}[${i}].utilization`, 0, 100) ?? 0,
      score: optionalInt(o?.['score'], `${shapePath}[${i}].score`, 0, 10) ?? 0,
    };
  });
  for (let i = 1; i < shape.length; i++) {
    const prev = shape[i - 1];
    const cur = shape[i];
    if (prev && cur && cur.utilization <= prev.utilization) {
      throw new ConfigError(
        `${shapePath}[${i}].utilization`,
        'Invalid value: utilization values must be sorted in increasing order',
      );
    }
  }
  if (type === 'RequestedToCapacityRatio' && shape.length === 0) {
    throw new ConfigError(shapePath, 'Required value: at least one point');
  }
  const strings = (field: string): string[] =>
    (optionalArray(args?.[field], field) ?? []).map((v, i) => {
      const s = optionalString(v, `${field}[${i}]`);
      return s ?? '';
    });
  return {
    ignoredResources: strings('ignoredResources'),
    ignoredResourceGroups: strings('ignoredResourceGroups'),
    scoringStrategy: { type: type as ScoringStrategyType, resources, shape },
  };
}
