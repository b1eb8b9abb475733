// The snapshot a scheduling attempt works on: a copy of the cache's NodeInfos taken at the start
// of the attempt, so the informers' handlers (which run between attempts and during binding) can
// change the cache without changing what an attempt already looked at. The cache refreshes it
// incrementally: only NodeInfos whose generation moved are copied again.
import { PodIndex, type NodeInfo, type NodeInfoLister } from '../framework/index.js';

export class Snapshot implements NodeInfoLister {
  /** By node name; only nodes whose Node object the cache has. */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  /** The same NodeInfos in a stable order (the order nodes were added). */
  nodeInfoList: NodeInfo[] = [];
  /** Each node's index in nodeInfoList, so a changed node is replaced in place. */
  positions = new Map<string, number>();
  /** Moves whenever a Node object is added, changed or removed (not when pods come and go). */
  nodesGeneration = 0;
  /** The cache's pod index (shared, not copied: see framework/pod-index.ts). */
  index = new PodIndex();
  /** Nodes per image name, the cache's (shared like the index; read only within an attempt). */
  imageNodes: ReadonlyMap<string, { readonly nodes: ReadonlySet<string> }> = new Map();

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  nodeGeneration(): number {
    return this.nodesGeneration;
  }

  podIndex(): PodIndex {
    return this.index;
  }

  numNodesWithImage(image: string): number {
    return this.imageNodes.get(image)?.nodes.size ?? 0;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }
}
