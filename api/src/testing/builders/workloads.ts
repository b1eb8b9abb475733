// makeReplicaSet() and makeDeployment(): `web`, selecting `app: web`, replicas unset (1), of the
// default pod (makePod()'s spec). selectorLabels() changes the selector and the template's
// labels together, which is what a valid workload needs.
import type {
  Deployment,
  DeploymentSpec,
  DeploymentStatus,
  DeploymentStrategy,
  LabelSelector,
  PodTemplateSpec,
  ReplicaSet,
  ReplicaSetSpec,
  ReplicaSetStatus,
} from '../../types/index.js';
import { ObjectBuilder } from './object-builder.js';
import { makePod } from './pod.js';

const defaultLabels = { app: 'web' };

interface Workload {
  metadata: ReplicaSet['metadata'];
  spec: { replicas?: number; selector: LabelSelector; template?: PodTemplateSpec };
}

abstract class WorkloadBuilder<T extends Workload> extends ObjectBuilder<T> {
  replicas(replicas: number): this {
    this.object.spec.replicas = replicas;
    return this;
  }

  selector(selector: LabelSelector): this {
    this.object.spec.selector = structuredClone(selector);
    return this;
  }

  /** spec.selector.matchLabels and the template's labels, both set to `labels`. */
  selectorLabels(labels: Readonly<Record<string, string>>): this {
    this.object.spec.selector = { matchLabels: { ...labels } };
    const template = (this.object.spec.template ??= makePod().template());
    template.metadata = { ...template.metadata, labels: { ...labels } };
    return this;
  }

  /** The pod template, e.g. `makePod().container('api').template({ app: 'web' })`. */
  template(template: PodTemplateSpec): this {
    this.object.spec.template = structuredClone(template);
    return this;
  }
}

export class ReplicaSetBuilder extends WorkloadBuilder<ReplicaSet> {
  constructor() {
    super({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { ...defaultLabels } },
        template: makePod().template(defaultLabels),
      },
    });
  }

  /** Any other spec fields, merged over what is set. */
  spec(fields: Partial<ReplicaSetSpec>): this {
    Object.assign(this.object.spec, structuredClone(fields));
    return this;
  }

  status(fields: Partial<ReplicaSetStatus>): this {
    this.object.status = { replicas: 0, ...this.object.status, ...structuredClone(fields) };
    return this;
  }
}

export class DeploymentBuilder extends WorkloadBuilder<Deployment> {
  constructor() {
    super({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { ...defaultLabels } },
        template: makePod().template(defaultLabels),
      },
    });
  }

  strategy(strategy: DeploymentStrategy): this {
    this.object.spec.strategy = structuredClone(strategy);
    return this;
  }

  paused(paused = true): this {
    this.object.spec.paused = paused;
    return this;
  }

  /** Any other spec fields, merged over what is set. */
  spec(fields: Partial<DeploymentSpec>): this {
    Object.assign(this.object.spec, structuredClone(fields));
    return this;
  }

  status(fields: Partial<DeploymentStatus>): this {
    this.object.status = { ...this.object.status, ...structuredClone(fields) };
    return this;
  }
}

export const makeReplicaSet = (): ReplicaSetBuilder => new ReplicaSetBuilder();
export const makeDeployment = (): DeploymentBuilder => new DeploymentBuilder();
