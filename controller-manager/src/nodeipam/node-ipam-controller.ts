// Node IPAM (Kubernetes' nodeipam range allocator), with --allocate-node-cidrs: every node
// without spec.podCIDR gets the next free subnet of --cluster-cidr. Which subnets are taken is
// read from the node cache on every sync — so a restart rebuilds it and a deleted node's subnet
// is free again once its node is gone — plus the assignments this process made that the cache
// has not shown yet (one worker, so two nodes never get the same subnet).
import { type Node } from '@skiff/api';
import type { Client, Lister, Reconciler, Request, Result } from '@skiff/client';
import { requestOf, type ControllerContext, type WorkSink } from '../controller/types.js';
import type { CidrSet } from './cidr-set.js';

export interface NodeIpamControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'nodes'>;
  readonly nodes: Lister<Node>;
  readonly queue: WorkSink;
  readonly cidrs: CidrSet;
}

export class NodeIpamController implements Reconciler {
  /** Node name → subnet index written but maybe not in the cache yet. */
  private readonly assigned = new Map<string, number>();
  /** Where the search for a free subnet starts: after the last one handed out, as Kubernetes. */
  private next = 0;

  constructor(private readonly options: NodeIpamControllerOptions) {}

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const node = this.options.nodes.get(request.name);
    if (!node) {
      this.assigned.delete(request.name);
      return {};
    }
    if (node.spec?.podCIDR) {
      this.assigned.delete(request.name);
      return {};
    }
    const pending = this.assigned.get(request.name);
    const index = pending ?? this.freeSubnet();
    if (index === undefined) {
      this.options.recorder.event(
        asNode(node),
        'Normal',
        'CIDRNotAvailable',
        `Node ${request.name} status is now: CIDRNotAvailable`,
      );
      throw new Error(`no free node CIDR left for node ${request.name}`);
    }
    this.assigned.set(request.name, index);
    const cidr = this.options.cidrs.subnet(index);
    await this.options.client
      .nodes()
      .patch(
        request.name,
        { spec: { podCIDR: cidr, podCIDRs: [cidr] } },
        { type: 'strategic', signal },
      );
    this.options.log(`node ${request.name}: podCIDR ${cidr}`);
    return {};
  }

  private freeSubnet(): number | undefined {
    const taken = new Set(this.assigned.values());
    for (const node of this.options.nodes.list()) {
      for (const cidr of node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) {
        const index = this.options.cidrs.indexOf(cidr);
        if (index !== undefined) taken.add(index);
      }
    }
    const { size } = this.options.cidrs;
    for (let i = 0; i < size; i++) {
      const candidate = (this.next + i) % size;
      if (!taken.has(candidate)) {
        this.next = (candidate + 1) % size;
        return candidate;
      }
    }
    return undefined;
  }

  onNodeChange(node: Readonly<Node>): void {
    this.options.queue.enqueue({ name: requestOf(node).name });
  }

  /** A subnet freed by a deleted node may be what a waiting node needs. */
  onNodeDelete(node: Readonly<Node>): void {
    this.assigned.delete(node.metadata.name ?? '');
    for (const waiting of this.options.nodes.list()) {
      if (!waiting.spec?.podCIDR) this.onNodeChange(waiting);
    }
  }
}

function asNode(node: Readonly<Node>): Node {
  return { ...node, apiVersion: 'v1', kind: 'Node' };
}
