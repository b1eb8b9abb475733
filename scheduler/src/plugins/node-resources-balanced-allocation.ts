// NodeResourcesBalancedAllocation (PreScore, Score): prefer nodes where, with the pod placed,
// the used fractions of cpu and memory (or the configured resources) are close to each other — a
// node at 90 % cpu and 10 % memory strands its memory. Score = (1 − standard deviation of the
// fractions) × 100, on actual requests.
import type { Pod } from '@skiff/api';
import {
  MAX_NODE_SCORE,
  podInfoOf,
  stateKey,
  strictObject,
  type CycleState,
  type NodeInfo,
  type PluginFactory,
  type PodInfo,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/index.js';
import {
  allocatableAndRequested,
  decodeResourceSpecs,
  DEFAULT_RESOURCES,
  ResourceAmounts,
  type ResourceSpec,
} from './helpers/resource-allocation.js';

const podInfoKey = stateKey<PodInfo>('PreScoreNodeResourcesBalancedAllocation');

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'NodeResourcesBalancedAllocation';
  static readonly factory: PluginFactory = (args) =>
    new NodeResourcesBalancedAllocation(decodeResources(args));
  readonly name = NodeResourcesBalancedAllocation.pluginName;
  private readonly amounts = new ResourceAmounts();

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {}

  preScore(state: CycleState, pod: Readonly<Pod>): undefined {
    state.write(podInfoKey, podInfoOf(pod));
    return undefined;
  }

  score(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const info = state.read(podInfoKey) ?? podInfoOf(pod);
    allocatableAndRequested(this.resources, nodeInfo, info, true, this.amounts);
    const { allocatable, requested } = this.amounts;
    // The standard deviation of the requested fractions, without an array per node (this runs
    // for every feasible node): two resources are the common case, |a − b| / 2.
    let n = 0;
    let sum = 0;
    let first = 0;
    let second = 0;
    for (let i = 0; i < allocatable.length; i++) {
      const capacity = allocatable[i] ?? 0;
      if (capacity === 0) continue;
      const f = Math.min(1, (requested[i] ?? 0) / capacity);
      if (n === 0) first = f;
      else if (n === 1) second = f;
      sum += f;
      n++;
    }
    let std = 0;
    if (n === 2) {
      std = Math.abs((first - second) / 2);
    } else if (n > 2) {
      const mean = sum / n;
      let squares = 0;
      for (let i = 0; i < allocatable.length; i++) {
        const capacity = allocatable[i] ?? 0;
        if (capacity === 0) continue;
        squares += (Math.min(1, (requested[i] ?? 0) / capacity) - mean) ** 2;
      }
      std = Math.sqrt(squares / n);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}

function decodeResources(raw: unknown): readonly ResourceSpec[] {
  return decodeResourceSpecs(strictObject(raw, '', ['resources'])?.['resources'], 'resources');
}
