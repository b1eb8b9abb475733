// Resource amounts as the scheduler counts them: integers (millicores for cpu, bytes for memory
// and ephemeral-storage, plain counts for pods and extended resources such as nvidia.com/gpu),
// parsed once from the Quantity strings, so a Filter over thousands of nodes adds numbers instead
// of parsing text. What a pod requests follows Kubernetes' resource helpers (PodRequests):
// containers summed, init containers as a maximum, sidecars (restartable init containers)
// added, then the pod's overhead.
import { ResourceQuantity, type Container, type Pod, type ResourceList } from '@skiff/api';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** What scoring assumes for a container that requests no cpu / memory (Kubernetes' values). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi, …) by name. */
  readonly scalar = new Map<string, number>();

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list) for (const [name, q] of Object.entries(list)) r.set(name, amount(name, q));
    return r;
  }

  get(name: string): number {
    switch (name) {
      case CPU:
        return this.milliCPU;
      case MEMORY:
        return this.memory;
      case EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case PODS:
        return this.allowedPodNumber;
      default:
        return this.scalar.get(name) ?? 0;
    }
  }

  set(name: string, value: number): void {
    switch (name) {
      case CPU:
        this.milliCPU = value;
        return;
      case MEMORY:
        this.memory = value;
        return;
      case EPHEMERAL_STORAGE:
        this.ephemeralStorage = value;
        return;
      case PODS:
        this.allowedPodNumber = value;
        return;
      default:
        this.scalar.set(name, value);
    }
  }

  /** this += other × sign. */
  add(other: Resource, sign: 1 | -1 = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    for (const [name, v] of other.scalar)
      this.scalar.set(name, (this.scalar.get(name) ?? 0) + sign * v);
  }

  /** this = max(this, other), per resource. */
  setMax(other: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, other.allowedPodNumber);
    for (const [name, v] of other.scalar)
      this.scalar.set(name, Math.max(this.scalar.get(name) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** Names of the resources with a non-zero amount. */
  names(): string[] {
    const names: string[] = [];
    if (this.milliCPU !== 0) names.push(CPU);
    if (this.memory !== 0) names.push(MEMORY);
    if (this.ephemeralStorage !== 0) names.push(EPHEMERAL_STORAGE);
    for (const [name, v] of this.scalar) if (v !== 0) names.push(name);
    return names;
  }
}

// Quantity strings repeat endlessly ("100m", "1Gi"); parse each one once per resource kind.
const parsed = new Map<string, number>();
const PARSED_CAP = 10_000;

/** An amount in the scheduler's unit for `name`: millicores for cpu, else whole units. */
export function amount(name: string, quantity: string | number): number {
  const milli = name === CPU;
  const key = `${milli ? 'm' : 'u'}${String(quantity)}`;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit;
  const q = ResourceQuantity.parse(quantity);
  const value = milli ? q.milliValue() : q.value();
  if (parsed.size >= PARSED_CAP) parsed.clear();
  parsed.set(key, value);
  return value;
}

export interface PodResources {
  /** What the pod asks of a node: the sum NodeResourcesFit checks against allocatable. */
  readonly requests: Resource;
  /** The same with cpu and memory defaulted for containers that ask for none (for scoring). */
  readonly nonZeroRequests: Resource;
}

// Pods from informers are frozen and never change in place: compute once per pod spec. Keyed
// by the containers list rather than the pod, so the copies the scheduler makes of a pod (the
// assumed pod, with spec.nodeName set) share the answer; the init containers and overhead it
// was computed with must be the same objects too.
interface CachedResources extends PodResources {
  readonly initContainers: unknown;
  readonly overhead: unknown;
}
const byContainers = new WeakMap<object, CachedResources>();

export function podResources(pod: Readonly<Pod>): PodResources {
  const { containers, initContainers, overhead } = pod.spec;
  const hit = byContainers.get(containers);
  if (hit && hit.initContainers === initContainers && hit.overhead === overhead) return hit;
  const computed = {
    requests: podRequests(pod, false),
    nonZeroRequests: podRequests(pod, true),
    initContainers,
    overhead,
  };
  byContainers.set(containers, computed);
  return computed;
}

/**
 * Kubernetes' PodRequests: the larger of (containers + sidecars) and, for each ordinary init
 * container in order, its own request plus the sidecars started before it; then the overhead.
 * Init containers run one at a time, so only the largest counts; sidecars keep running beside
 * everything after them, so they add up.
 */
function podRequests(pod: Readonly<Pod>, nonZero: boolean): Resource {
  const total = new Resource();
  for (const c of pod.spec.containers) total.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      sidecars.add(r);
      initMax.setMax(sidecars);
    } else {
      r.add(sidecars);
      initMax.setMax(r);
    }
  }
  total.add(sidecars);
  total.setMax(initMax);
  if (pod.spec.overhead) total.add(Resource.fromList(pod.spec.overhead));
  return total;
}

function containerRequests(c: Readonly<Container>, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests);
  if (nonZero) {
    if (c.resources?.requests?.[CPU] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (c.resources?.requests?.[MEMORY] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}
