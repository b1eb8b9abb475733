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
  type ResourceSpec,
} from './helpers/resource-allocation.js';

const podInfoKey = stateKey<PodInfo>('PreScoreNodeResourcesBalancedAllocation');

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'NodeResourcesBalancedAllocation';
  static readonly factory: PluginFactory = (args) =>
    new NodeResourcesBalancedAllocation(decodeResources(args));
  readonly name = NodeResourcesBalancedAllocation.pluginName;

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_RESOURCES) {}

  preScore(state: CycleState, pod: Readonly<Pod>): undefined {
    state.write(podInfoKey, podInfoOf(pod));
    return undefined;
  }

  score(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const info = state.read(podInfoKey) ?? podInfoOf(pod);
    const { allocatable, requested } = allocatableAndRequested(
      this.resources,
      nodeInfo,
      info,
      true,
    );
    const fractions: number[] = [];
    for (let i = 0; i < allocatable.length; i++) {
      const capacity = allocatable[i] ?? 0;
      if (capacity === 0) continue;
      fractions.push(Math.min(1, (requested[i] ?? 0) / capacity));
    }
    let std = 0;
    if (fractions.length === 2) {
      std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
    } else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}

function decodeResources(raw: unknown): readonly ResourceSpec[] {
  return decodeResourceSpecs(strictObject(raw, '', ['resources'])?.['resources'], 'resources');
}
