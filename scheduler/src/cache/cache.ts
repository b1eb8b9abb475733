// The scheduler's cache (Kubernetes' internal/cache): nodes and the pods assigned to them, with
// *assumed* pods. The moment the scheduler picks a node for a pod it assumes the pod there, so
// the next attempt already sees the node's resources taken, without waiting for the binding to
// round-trip through the apiserver and the watch. The assumption is
//   confirmed  when the informer shows the pod bound (addPod),
//   forgotten  when binding fails (forgetPod), or when the binding finished but the bound pod
//              never showed up within the TTL (the watch lost it, or someone deleted the pod):
//              cleanupAssumedPods drops it, so a lost event cannot leak a node's capacity.
import type { Clock, Node, Pod, Timer } from '@skiff/api';
import { NodeInfo, PodIndex, podInfoOf, podUid, type ImageState } from '../framework/index.js';
import { Snapshot } from './snapshot.js';

/** How long an assumed pod whose binding finished waits for its confirmation. */
export const DEFAULT_ASSUMED_POD_TTL_MS = 30_000;
/** How often expired assumed pods are looked for (Kubernetes: every second). */
export const CLEANUP_ASSUMED_PODS_PERIOD_MS = 1_000;

interface PodState {
  pod: Readonly<Pod>;
  /** For an assumed pod whose binding finished: when it expires. */
  deadline: number | undefined;
  bindingFinished: boolean;
}

export interface CacheOptions {
  readonly clock: Clock;
  readonly assumedPodTtlMs?: number;
  readonly log?: (message: string) => void;
}

export class Cache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly log: (message: string) => void;
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  /** Images by name: size and the nodes that have them. */
  private readonly images = new Map<string, { state: ImageState; nodes: Set<string> }>();
  /** Nodes changed since the last updateSnapshot. */
  private readonly dirty = new Set<string>();
  /** Nodes were added or removed since the last updateSnapshot: the list is rebuilt. */
  private membershipChanged = true;
  private cleanupTimer: Timer | undefined;
  /** Counts changes to Node objects, for plugins that derive things from nodes alone. */
  private nodesGeneration = 0;
  /** Every pod here (assumed included) by namespace and label, and their affinity terms. */
  private readonly podIndex: PodIndex;

  constructor(options: CacheOptions) {
    this.clock = options.clock;
    this.ttlMs = options.assumedPodTtlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
    this.log = options.log ?? ((m) => process.stderr.write(`scheduler cache: ${m}\n`));
    this.podIndex = new PodIndex(this.log);
  }

  /** Starts the periodic expiry of assumed pods. */
  run(): void {
    const tick = (): void => {
      this.cleanupAssumedPods();
      this.cleanupTimer = this.clock.setTimer(CLEANUP_ASSUMED_PODS_PERIOD_MS, tick);
    };
    this.cleanupTimer = this.clock.setTimer(CLEANUP_ASSUMED_PODS_PERIOD_MS, tick);
  }

  close(): void {
    this.cleanupTimer?.cancel();
  }

  /** `pod` carries the chosen node in spec.nodeName. Throws if the cache has it already. */
  assumePod(pod: Readonly<Pod>): void {
    const uid = podUid(pod);
    if (this.podStates.has(uid))
      throw new Error(`pod ${describe(pod)} is in the cache, so can't be assumed`);
    this.addPodToNode(pod);
    this.podStates.set(uid, { pod, deadline: undefined, bindingFinished: false });
    this.assumedPods.add(uid);
  }

  /** Binding went through: the assumption now expires unless the bound pod is seen in time. */
  finishBinding(pod: Readonly<Pod>): void {
    const state = this.podStates.get(podUid(pod));
    if (!state || !this.assumedPods.has(podUid(pod))) return;
    state.bindingFinished = true;
    state.deadline = this.clock.now() + this.ttlMs;
  }

  /** Binding failed (or the attempt was abandoned): release what the assumption held. */
  forgetPod(pod: Readonly<Pod>): void {
    const uid = podUid(pod);
    const state = this.podStates.get(uid);
    if (!state || !this.assumedPods.has(uid)) return;
    this.removePodFromNode(state.pod);
    this.podStates.delete(uid);
    this.assumedPods.delete(uid);
  }

  isAssumedPod(pod: Readonly<Pod>): boolean {
    return this.assumedPods.has(podUid(pod));
  }

  /** The informer saw an assigned pod: confirms an assumption, or adds the pod. */
  addPod(pod: Readonly<Pod>): void {
    const uid = podUid(pod);
    const state = this.podStates.get(uid);
    if (state && this.assumedPods.has(uid)) {
      // Bound where we assumed, or (another scheduler, a race) elsewhere: the server is right.
      this.removePodFromNode(state.pod);
      this.addPodToNode(pod);
      this.assumedPods.delete(uid);
      this.podStates.set(uid, { pod, deadline: undefined, bindingFinished: false });
      return;
    }
    if (state) {
      this.updatePod(state.pod, pod);
      return;
    }
    this.addPodToNode(pod);
    this.podStates.set(uid, { pod, deadline: undefined, bindingFinished: false });
  }

  updatePod(oldPod: Readonly<Pod>, newPod: Readonly<Pod>): void {
    const uid = podUid(oldPod);
    const state = this.podStates.get(uid);
    if (!state || this.assumedPods.has(uid)) {
      // An update for a pod we only assumed is its confirmation.
      this.addPod(newPod);
      return;
    }
    this.removePodFromNode(state.pod);
    this.addPodToNode(newPod);
    state.pod = newPod;
  }

  removePod(pod: Readonly<Pod>): void {
    const uid = podUid(pod);
    const state = this.podStates.get(uid);
    if (!state) return;
    this.removePodFromNode(state.pod);
    this.podStates.delete(uid);
    this.assumedPods.delete(uid);
  }

  addNode(node: Readonly<Node>): void {
    const name = node.metadata.name ?? '';
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo();
      this.nodes.set(name, info);
      this.membershipChanged = true;
    } else if (!info.node) {
      // Pods arrived before their node: the NodeInfo existed without a Node, off the list.
      this.membershipChanged = true;
    } else {
      this.removeImages(info.node);
    }
    info.setNode(node);
    this.addImages(node, info);
    this.dirty.add(name);
    this.nodesGeneration++;
  }

  updateNode(_oldNode: Readonly<Node>, newNode: Readonly<Node>): void {
    this.addNode(newNode);
  }

  /** The node is gone; its pods' NodeInfo stays (off the list) until they are gone too. */
  removeNode(node: Readonly<Node>): void {
    const name = node.metadata.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    if (info.node) this.removeImages(info.node);
    if (info.pods.length === 0) this.nodes.delete(name);
    else {
      info.clearNode();
    }
    this.membershipChanged = true;
    this.dirty.add(name);
    this.nodesGeneration++;
  }

  /** Number of nodes (with a Node object) and of pods (assumed included), for tests and logs. */
  counts(): { nodes: number; pods: number; assumed: number } {
    let nodes = 0;
    for (const info of this.nodes.values()) if (info.node) nodes++;
    return { nodes, pods: this.podStates.size, assumed: this.assumedPods.size };
  }

  /** Drops assumed pods whose binding finished and whose confirmation did not come in time. */
  cleanupAssumedPods(now = this.clock.now()): void {
    for (const uid of this.assumedPods) {
      const state = this.podStates.get(uid);
      if (!state?.bindingFinished || state.deadline === undefined || now < state.deadline) continue;
      this.log(`assumed pod ${describe(state.pod)} expired: its binding was never observed`);
      this.removePodFromNode(state.pod);
      this.podStates.delete(uid);
      this.assumedPods.delete(uid);
    }
  }

  /** Brings `snapshot` up to date, copying only the NodeInfos that changed since last time. */
  updateSnapshot(snapshot: Snapshot): void {
    for (const name of this.dirty) {
      const info = this.nodes.get(name);
      const before = snapshot.nodeInfoMap.get(name);
      if (!info?.node) {
        if (before) snapshot.nodeInfoMap.delete(name);
        continue;
      }
      const copy = info.snapshot();
      snapshot.nodeInfoMap.set(name, copy);
      if (!this.membershipChanged) {
        const at = snapshot.positions.get(name);
        if (at !== undefined) snapshot.nodeInfoList[at] = copy;
        else this.membershipChanged = true;
      }
    }
    this.dirty.clear();
    snapshot.index = this.podIndex;
    snapshot.imageNodes = this.images;
    snapshot.nodesGeneration = this.nodesGeneration;
    if (this.membershipChanged) {
      snapshot.nodeInfoList = [];
      snapshot.positions = new Map();
      for (const [name, info] of this.nodes) {
        if (!info.node) continue;
        const copy = snapshot.nodeInfoMap.get(name);
        if (!copy) continue;
        snapshot.positions.set(name, snapshot.nodeInfoList.length);
        snapshot.nodeInfoList.push(copy);
      }
      this.membershipChanged = false;
    }
  }

  private addPodToNode(pod: Readonly<Pod>): void {
    const name = pod.spec.nodeName ?? '';
    let info = this.nodes.get(name);
    if (!info) {
      // The pod's node is not known yet (its watch event comes later).
      info = new NodeInfo();
      this.nodes.set(name, info);
    }
    const podInfo = podInfoOf(pod);
    info.addPodInfo(podInfo);
    this.podIndex.add(podInfo);
    this.dirty.add(name);
  }

  private removePodFromNode(pod: Readonly<Pod>): void {
    const name = pod.spec.nodeName ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    const removed = info.removePod(podUid(pod));
    if (removed) this.podIndex.remove(removed);
    else this.log(`pod ${describe(pod)} was not found on node ${name}`);
    if (!info.node && info.pods.length === 0) this.nodes.delete(name);
    this.dirty.add(name);
  }

  private addImages(node: Readonly<Node>, info: NodeInfo): void {
    const name = node.metadata.name ?? '';
    const states = new Map<string, ImageState>();
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        let entry = this.images.get(imageName);
        if (!entry) {
          entry = { state: { sizeBytes: image.sizeBytes ?? 0, numNodes: 0 }, nodes: new Set() };
          this.images.set(imageName, entry);
        }
        entry.nodes.add(name);
        entry.state.numNodes = entry.nodes.size;
        states.set(imageName, entry.state);
      }
    }
    info.imageStates = states;
  }

  private removeImages(node: Readonly<Node>): void {
    const name = node.metadata.name ?? '';
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        const entry = this.images.get(imageName);
        if (!entry) continue;
        entry.nodes.delete(name);
        entry.state.numNodes = entry.nodes.size;
        if (entry.nodes.size === 0) this.images.delete(imageName);
      }
    }
  }
}

function describe(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
