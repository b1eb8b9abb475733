// What NodeResourcesFit's scoring strategies and NodeResourcesBalancedAllocation share
// (Kubernetes' resourceAllocationScorer): for each configured resource, the node's allocatable
// amount and what would be requested with the pod on it. Fit scores with the non-zero requests
// (a container that asks for nothing still counts as 100m / 200Mi, so empty nodes are preferred
// to nodes full of BestEffort pods); BalancedAllocation with the actual requests. A resource the
// node does not have is left out (allocatable 0), and so is an extended resource the pod does
// not ask for.
import {
  ConfigError,
  CPU,
  EPHEMERAL_STORAGE,
  MEMORY,
  optionalArray,
  optionalInt,
  optionalString,
  strictObject,
  type NodeInfo,
  type PodInfo,
} from '../../framework/index.js';

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

// What each configured resource is, worked out once per resource list: the per-node loop below
// then switches on a small number instead of looking names up (it runs for every feasible node
// of every attempt, twice: Fit's score and BalancedAllocation's).
const CPU_KIND = 0;
const MEMORY_KIND = 1;
const EPHEMERAL_STORAGE_KIND = 2;
const EXTENDED_KIND = 3;
const kindsByList = new WeakMap<readonly ResourceSpec[], Uint8Array>();

function kindsOf(resources: readonly ResourceSpec[]): Uint8Array {
  let kinds = kindsByList.get(resources);
  if (!kinds) {
    kinds = Uint8Array.from(resources, (r) =>
      r.name === CPU
        ? CPU_KIND
        : r.name === MEMORY
          ? MEMORY_KIND
          : r.name === EPHEMERAL_STORAGE
            ? EPHEMERAL_STORAGE_KIND
            : EXTENDED_KIND,
    );
    kindsByList.set(resources, kinds);
  }
  return kinds;
}

/**
 * Per configured resource (in `resources` order): the node's allocatable amount and what would
 * be requested with the pod on it. Each scorer keeps one and has it refilled for every node
 * (scoring runs for every feasible node of every attempt, and is synchronous): no arrays, and
 * no object around them, per node.
 */
export class ResourceAmounts {
  // Typed arrays: an element read is always a plain double. (A number[] sized by `length` has
  // holes, so each read may be undefined, and V8 boxes the double it turns out to be.)
  allocatable = new Float64Array(0);
  requested = new Float64Array(0);
}

/** Fills `into` for one node; 0/0 = the resource is left out. */
export function allocatableAndRequested(
  resources: readonly ResourceSpec[],
  nodeInfo: NodeInfo,
  pod: PodInfo,
  useRequested: boolean,
  into: ResourceAmounts,
): void {
  // The non-zero sums only track cpu and memory; others come from the plain sums.
  const nodeRequested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  const podRequests = useRequested ? pod.requests : pod.nonZeroRequests;
  const nodeAllocatable = nodeInfo.allocatable;
  const kinds = kindsOf(resources);
  if (into.allocatable.length !== resources.length) {
    into.allocatable = new Float64Array(resources.length);
    into.requested = new Float64Array(resources.length);
  }
  const { allocatable, requested } = into;
  for (let i = 0; i < kinds.length; i++) {
    switch (kinds[i]) {
      case CPU_KIND:
        allocatable[i] = nodeAllocatable.milliCPU;
        requested[i] = nodeRequested.milliCPU + podRequests.milliCPU;
        break;
      case MEMORY_KIND:
        allocatable[i] = nodeAllocatable.memory;
        requested[i] = nodeRequested.memory + podRequests.memory;
        break;
      case EPHEMERAL_STORAGE_KIND:
        allocatable[i] = nodeAllocatable.ephemeralStorage;
        requested[i] = nodeInfo.requested.ephemeralStorage + podRequests.ephemeralStorage;
        break;
      default: {
        // An extended resource the pod does not ask for is left out.
        const name = resources[i]?.name ?? '';
        const podRequest = podRequests.get(name);
        allocatable[i] = podRequest === 0 ? 0 : nodeAllocatable.get(name);
        requested[i] = podRequest === 0 ? 0 : nodeInfo.requested.get(name) + podRequest;
      }
    }
  }
}

/** A `resources: [{name, weight}]` list from plugin args (weights 1…100, default 1). */
export function decodeResourceSpecs(raw: unknown, path: string): readonly ResourceSpec[] {
  const list = optionalArray(raw, path);
  if (!list) return DEFAULT_RESOURCES;
  return list.map((r, i) => {
    const at = `${path}[${i}]`;
    const o = strictObject(r, at, ['name', 'weight']);
    const name = optionalString(o?.['name'], `${at}.name`);
    if (!name) throw new ConfigError(`${at}.name`, 'Required value');
    return { name, weight: optionalInt(o?.['weight'], `${at}.weight`, 1, 100) ?? 1 };
  });
}
