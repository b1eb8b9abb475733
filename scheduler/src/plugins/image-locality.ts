// ImageLocality (Score): prefers nodes that already have the pod's container images, as
// Kubernetes' imagelocality plugin. Each image present on the node adds its size scaled by the
// share of nodes that have it (an image on every node says nothing about this one, and spreading
// pods onto the one node with a rare image would pile them up). The sum is clamped to
// [23 MiB, 1000 MiB × containers] and mapped linearly onto 0…100, so small images do not count
// and one huge image cannot dominate a multi-container pod.
//
// PreScore skips the plugin when no node of the cluster has any of the pod's images: every node
// would score 0, which changes no total (a cluster of Node objects without images, or pods of an
// image not pulled anywhere yet).
import type { Pod } from '@skiff/api';
import {
  MAX_NODE_SCORE,
  skip,
  strictObject,
  type CycleState,
  type Handle,
  type NodeInfo,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/index.js';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'ImageLocality';
  static readonly factory: PluginFactory = (args, handle) => {
    strictObject(args, '', []);
    return new ImageLocality(handle);
  };
  readonly name = ImageLocality.pluginName;

  constructor(private readonly handle: Pick<Handle, 'snapshot'>) {}

  preScore(_state: CycleState, pod: Readonly<Pod>): Status | undefined {
    const snapshot = this.handle.snapshot();
    return podImages(pod).some((image) => snapshot.numNodesWithImage(image) > 0)
      ? undefined
      : skip();
  }

  score(_state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number {
    const totalNodes = this.handle.snapshot().list().length;
    const images = podImages(pod);
    let sum = 0;
    for (const image of images) {
      const state = nodeInfo.imageStates.get(image);
      if (state && totalNodes > 0) {
        sum += Math.trunc(state.sizeBytes * (state.numNodes / totalNodes));
      }
    }
    return scaledScore(sum, images.length);
  }
}

// Score runs once per feasible node: name the pod's images once per pod object (pods from the
// informer never change in place).
const imagesByPod = new WeakMap<Readonly<Pod>, readonly string[]>();

/** The pod's container images (init containers included), normalized, one per container. */
function podImages(pod: Readonly<Pod>): readonly string[] {
  let images = imagesByPod.get(pod);
  if (!images) {
    images = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) =>
      normalizedImageName(c.image ?? ''),
    );
    imagesByPod.set(pod, images);
  }
  return images;
}

function scaledScore(sum: number, containers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * containers;
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
  if (max <= MIN_THRESHOLD) return 0;
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

/** An image without a tag is `:latest`, as the node reports it (Kubernetes' normalizedImageName). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}
