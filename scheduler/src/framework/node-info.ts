// NodeInfo: one node as the scheduler sees it — the Node object plus everything derived from the
// pods on it (assumed ones included): requested resources, host ports, and the images present.
// (Pods by label and by affinity term, cluster-wide, are in the cache's PodIndex.) Plugins only read it; the cache writes it.
// `generation` goes up on every change, so a snapshot copies only the NodeInfos that changed.
import type { Node, Pod } from '@skiff/api';
import { HostPortInfo, podHostPorts, type HostPort } from './host-ports.js';
import { podResources, Resource } from './resource.js';

let nextGeneration = 0;
export function newGeneration(): number {
  return ++nextGeneration;
}

/** The cache's key for a pod: its uid (names are reused after a delete), else namespace/name. */
export function podUid(pod: Readonly<Pod>): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** A pod with what the scheduler derived from it once. */
export interface PodInfo {
  readonly pod: Readonly<Pod>;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: readonly HostPort[];
}

export function podInfoOf(pod: Readonly<Pod>): PodInfo {
  const { requests, nonZeroRequests } = podResources(pod);
  return { pod, requests, nonZeroRequests, hostPorts: podHostPorts(pod) };
}

export interface ImageState {
  readonly sizeBytes: number;
  /** How many nodes have the image (ImageLocality spreads its score by this). */
  numNodes: number;
}

export class NodeInfo {
  private current: Readonly<Node> | undefined;
  /**
   * The Node's name, kept beside it rather than read through it: every attempt reads the names
   * of hundreds of nodes, and through the Node that is two more objects to fetch per node.
   */
  private nodeName = '';
  pods: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests. */
  requested = new Resource();
  /** Sum of the pods' requests with cpu/memory defaults for containers that set none. */
  nonZeroRequested = new Resource();
  /** From the Node object; replaced (never changed in place) when the Node changes. */
  allocatable = new Resource();
  /** Images on the node by every name they are known by; shared across NodeInfos by the cache. */
  imageStates = new Map<string, ImageState>();
  generation = newGeneration();

  constructor(node?: Readonly<Node>) {
    if (node) this.setNode(node);
  }

  /** The Node object; undefined while the cache knows pods on a node it has not seen (yet). */
  get node(): Readonly<Node> | undefined {
    return this.current;
  }

  /** The node's name ('' without a Node object). */
  name(): string {
    return this.nodeName;
  }

  setNode(node: Readonly<Node>): void {
    this.current = node;
    this.nodeName = node.metadata.name ?? '';
    this.allocatable = Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
    this.generation = newGeneration();
  }

  /** The Node object is gone; its pods stay until they are gone too. */
  clearNode(): void {
    this.current = undefined;
    this.nodeName = '';
    this.generation = newGeneration();
  }

  addPodInfo(info: PodInfo): void {
    this.pods.push(info);
    this.account(info, 1);
  }

  /** Removes the pod with this uid and returns what was kept for it; undefined if not here. */
  removePod(uid: string): PodInfo | undefined {
    const index = this.pods.findIndex((p) => podUid(p.pod) === uid);
    const info = this.pods[index];
    if (!info) return undefined;
    this.pods.splice(index, 1);
    this.account(info, -1);
    return info;
  }

  private account(info: PodInfo, sign: 1 | -1): void {
    this.requested.add(info.requests, sign);
    this.nonZeroRequested.add(info.nonZeroRequests, sign);
    for (const p of info.hostPorts) {
      if (sign === 1) this.usedPorts.add(p);
      else this.usedPorts.remove(p);
    }
    this.generation = newGeneration();
  }

  /** A copy a snapshot can keep while the cache goes on changing the original. */
  snapshot(): NodeInfo {
    const c = new NodeInfo();
    c.current = this.current;
    c.nodeName = this.nodeName;
    c.pods = [...this.pods];
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    // Shared: a new Node object brings a new Resource, so the snapshot's stays as it was.
    c.allocatable = this.allocatable;
    c.imageStates = this.imageStates;
    c.generation = this.generation;
    return c;
  }
}
