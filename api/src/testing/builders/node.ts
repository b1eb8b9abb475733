// makeNode(): a Node in st.MakeNode() style. capacity() sets allocatable too (most tests mean
// "a node this big"); call allocatable() after it when the two should differ.
import type {
  Node,
  NodeAddress,
  NodeCondition,
  NodeSpec,
  NodeStatus,
  ResourceList,
  Taint,
} from '../../types/index.js';
import { setCondition } from './conditions.js';
import { ObjectBuilder } from './object-builder.js';

export interface NodeImage {
  names?: string[];
  sizeBytes?: number;
}

export class NodeBuilder extends ObjectBuilder<Node> {
  constructor() {
    super({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {}, status: {} });
  }

  /** status.capacity and status.allocatable both, merged over what is set. */
  capacity(resources: ResourceList): this {
    const status = this.nodeStatus();
    status.capacity = { ...status.capacity, ...resources };
    status.allocatable = { ...status.allocatable, ...resources };
    return this;
  }

  allocatable(resources: ResourceList): this {
    const status = this.nodeStatus();
    status.allocatable = { ...status.allocatable, ...resources };
    return this;
  }

  taints(...taints: Taint[]): this {
    (this.nodeSpec().taints ??= []).push(...structuredClone(taints));
    return this;
  }

  unschedulable(unschedulable = true): this {
    this.nodeSpec().unschedulable = unschedulable;
    return this;
  }

  /** Sets (or replaces) the condition of this type. */
  condition(
    type: string,
    status: NodeCondition['status'],
    fields: Partial<NodeCondition> = {},
  ): this {
    setCondition((this.nodeStatus().conditions ??= []), { type, status, ...fields });
    return this;
  }

  /** The Ready condition, True by default. */
  ready(ready = true): this {
    return this.condition('Ready', ready ? 'True' : 'False');
  }

  /** Images already on the node (image locality): `images({ names: ['nginx'], sizeBytes })`. */
  images(...images: NodeImage[]): this {
    (this.nodeStatus().images ??= []).push(...structuredClone(images));
    return this;
  }

  addresses(...addresses: NodeAddress[]): this {
    (this.nodeStatus().addresses ??= []).push(...structuredClone(addresses));
    return this;
  }

  /** Any other spec fields, merged over what is set. */
  spec(fields: Partial<NodeSpec>): this {
    Object.assign(this.nodeSpec(), structuredClone(fields));
    return this;
  }

  /** Any other status fields, merged over what is set. */
  status(fields: Partial<NodeStatus>): this {
    Object.assign(this.nodeStatus(), structuredClone(fields));
    return this;
  }

  private nodeSpec(): NodeSpec {
    return (this.object.spec ??= {});
  }

  private nodeStatus(): NodeStatus {
    return (this.object.status ??= {});
  }
}

/** A Node named `node-1` with no capacity, labels, taints or conditions until the chain adds them. */
export const makeNode = (): NodeBuilder => new NodeBuilder();
