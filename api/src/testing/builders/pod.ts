// makePod(): a Pod in kube-scheduler's st.MakePod() style. Without containers it gets one
// (`app`, image `nginx`) so the object is valid; container-level calls (image, requests, limits,
// hostPort) act on the last container added, adding that default one first if there is none.
import type {
  Affinity,
  Container,
  ContainerPort,
  NodeAffinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  PodCondition,
  PodPhase,
  PodSpec,
  PodStatus,
  PodTemplateSpec,
  Protocol,
  ResourceList,
  Toleration,
  TopologySpreadConstraint,
  Volume,
} from '../../types/index.js';
import { setCondition } from './conditions.js';
import { ObjectBuilder } from './object-builder.js';

const defaultContainer = (): Container => ({ name: 'app', image: 'nginx' });

export class PodBuilder extends ObjectBuilder<Pod> {
  private noContainers = false;

  constructor() {
    super({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [] } });
  }

  /** Appends a container (image `nginx` unless `fields` say otherwise). */
  container(name: string, fields: Partial<Container> = {}): this {
    this.object.spec.containers.push({ name, image: 'nginx', ...structuredClone(fields) });
    return this;
  }

  /** Appends an init container (image `busybox` unless `fields` say otherwise). */
  initContainer(name: string, fields: Partial<Container> = {}): this {
    (this.object.spec.initContainers ??= []).push({
      name,
      image: 'busybox',
      ...structuredClone(fields),
    });
    return this;
  }

  /** Leaves the containers list empty instead of adding the default `app` container. */
  withoutContainers(): this {
    this.noContainers = true;
    return this;
  }

  image(image: string): this {
    this.lastContainer().image = image;
    return this;
  }

  /** `requests({ cpu: '1', memory: '1Gi' })` on the last container. */
  requests(requests: ResourceList): this {
    const container = this.lastContainer();
    container.resources = {
      ...container.resources,
      requests: { ...container.resources?.requests, ...requests },
    };
    return this;
  }

  limits(limits: ResourceList): this {
    const container = this.lastContainer();
    container.resources = {
      ...container.resources,
      limits: { ...container.resources?.limits, ...limits },
    };
    return this;
  }

  /** A port on the last container that is also bound on the node (containerPort = hostPort). */
  hostPort(port: number, protocol: Protocol = 'TCP', hostIP?: string): this {
    const entry: ContainerPort = { containerPort: port, hostPort: port, protocol };
    if (hostIP !== undefined) entry.hostIP = hostIP;
    (this.lastContainer().ports ??= []).push(entry);
    return this;
  }

  volume(volume: Volume): this {
    (this.object.spec.volumes ??= []).push(structuredClone(volume));
    return this;
  }

  /** spec.nodeName: the pod is bound to `node`. */
  node(node: string): this {
    this.object.spec.nodeName = node;
    return this;
  }

  schedulerName(name: string): this {
    this.object.spec.schedulerName = name;
    return this;
  }

  priority(priority: number): this {
    this.object.spec.priority = priority;
    return this;
  }

  priorityClassName(name: string): this {
    this.object.spec.priorityClassName = name;
    return this;
  }

  tolerations(...tolerations: Toleration[]): this {
    (this.object.spec.tolerations ??= []).push(...structuredClone(tolerations));
    return this;
  }

  /** Adds to spec.nodeSelector. */
  nodeSelector(selector: Readonly<Record<string, string>>): this {
    this.object.spec.nodeSelector = { ...this.object.spec.nodeSelector, ...selector };
    return this;
  }

  /**
   * A required node-affinity requirement, ANDed into the first term:
   * `nodeAffinityIn('zone', ['a', 'b'])`.
   */
  nodeAffinityIn(key: string, values: string[]): this {
    return this.nodeAffinityRequirement({ key, operator: 'In', values: [...values] });
  }

  nodeAffinityNotIn(key: string, values: string[]): this {
    return this.nodeAffinityRequirement({ key, operator: 'NotIn', values: [...values] });
  }

  /** A whole required node-selector term, ORed with the terms before it. */
  nodeSelectorTerm(term: NodeSelectorTerm): this {
    this.requiredNodeTerms().push(structuredClone(term));
    return this;
  }

  preferredNodeAffinity(weight: number, preference: NodeSelectorTerm): this {
    const affinity = this.nodeAffinity();
    (affinity.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({
      weight,
      preference: structuredClone(preference),
    });
    return this;
  }

  /** Required: only beside pods matching the term, within its topologyKey domain. */
  podAffinity(term: PodAffinityTerm): this {
    const affinity = (this.affinity().podAffinity ??= {});
    (affinity.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(structuredClone(term));
    return this;
  }

  /** Required: never beside pods matching the term, within its topologyKey domain. */
  podAntiAffinity(term: PodAffinityTerm): this {
    const affinity = (this.affinity().podAntiAffinity ??= {});
    (affinity.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(structuredClone(term));
    return this;
  }

  preferredPodAffinity(weight: number, term: PodAffinityTerm): this {
    const affinity = (this.affinity().podAffinity ??= {});
    (affinity.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({
      weight,
      podAffinityTerm: structuredClone(term),
    });
    return this;
  }

  preferredPodAntiAffinity(weight: number, term: PodAffinityTerm): this {
    const affinity = (this.affinity().podAntiAffinity ??= {});
    (affinity.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({
      weight,
      podAffinityTerm: structuredClone(term),
    });
    return this;
  }

  topologySpreadConstraint(constraint: TopologySpreadConstraint): this {
    (this.object.spec.topologySpreadConstraints ??= []).push(structuredClone(constraint));
    return this;
  }

  /** Any other spec fields, merged over what is set. */
  spec(fields: Partial<PodSpec>): this {
    Object.assign(this.object.spec, structuredClone(fields));
    return this;
  }

  phase(phase: PodPhase): this {
    this.podStatus().phase = phase;
    return this;
  }

  /** Sets (or replaces) the condition of this type. */
  condition(
    type: string,
    status: PodCondition['status'],
    fields: Partial<PodCondition> = {},
  ): this {
    setCondition((this.podStatus().conditions ??= []), { type, status, ...fields });
    return this;
  }

  /** The Ready condition, True by default. */
  ready(ready = true): this {
    return this.condition('Ready', ready ? 'True' : 'False');
  }

  podIP(ip: string): this {
    Object.assign(this.podStatus(), { podIP: ip, podIPs: [{ ip }] });
    return this;
  }

  nominatedNodeName(node: string): this {
    this.podStatus().nominatedNodeName = node;
    return this;
  }

  /** Any other status fields, merged over what is set. */
  status(fields: Partial<PodStatus>): this {
    Object.assign(this.podStatus(), structuredClone(fields));
    return this;
  }

  /** The pod's spec under `labels`: what a ReplicaSet or Deployment stamps out. */
  template(
    labels: Readonly<Record<string, string>> = this.object.metadata.labels ?? {},
  ): PodTemplateSpec {
    return { metadata: { labels: { ...labels } }, spec: this.obj().spec };
  }

  protected override complete(pod: Pod): void {
    if (pod.spec.containers.length === 0 && !this.noContainers) {
      pod.spec.containers.push(defaultContainer());
    }
  }

  private lastContainer(): Container {
    const containers = this.object.spec.containers;
    const last = containers[containers.length - 1];
    if (last) return last;
    const added = defaultContainer();
    containers.push(added);
    return added;
  }

  private podStatus(): PodStatus {
    return (this.object.status ??= {});
  }

  private affinity(): Affinity {
    return (this.object.spec.affinity ??= {});
  }

  private nodeAffinity(): NodeAffinity {
    return (this.affinity().nodeAffinity ??= {});
  }

  private requiredNodeTerms(): NodeSelectorTerm[] {
    const affinity = this.nodeAffinity();
    return (affinity.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] })
      .nodeSelectorTerms;
  }

  private nodeAffinityRequirement(requirement: NodeSelectorRequirement): this {
    const terms = this.requiredNodeTerms();
    const first = terms[0] ?? (terms[0] = {});
    (first.matchExpressions ??= []).push(requirement);
    return this;
  }
}

/** A Pod named `web` with one `app` container (nginx) unless the chain adds others. */
export const makePod = (): PodBuilder => new PodBuilder();
