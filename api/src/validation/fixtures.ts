// Fixture builders for validation tests: a valid object by default, changed one fact at a
// time, so each test case states only what it is about.
import type {
  Container,
  Deployment,
  ObjectMeta,
  Pod,
  PodSpec,
  PodTemplateSpec,
  ReplicaSet,
  Service,
  ServicePort,
  Volume,
} from '../types/index.js';

export class PodBuilder {
  private noContainers = false;
  private readonly pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [] },
  };

  name(name: string): this {
    this.pod.metadata.name = name;
    return this;
  }

  meta(meta: Partial<ObjectMeta>): this {
    Object.assign(this.pod.metadata, meta);
    return this;
  }

  container(name: string, fields: Partial<Container> = {}): this {
    this.pod.spec.containers.push({ name, image: 'nginx', ...fields });
    return this;
  }

  initContainer(name: string, fields: Partial<Container> = {}): this {
    (this.pod.spec.initContainers ??= []).push({ name, image: 'busybox', ...fields });
    return this;
  }

  volume(volume: Volume): this {
    (this.pod.spec.volumes ??= []).push(volume);
    return this;
  }

  spec(fields: Partial<PodSpec>): this {
    Object.assign(this.pod.spec, fields);
    return this;
  }

  build(): Pod {
    const pod = structuredClone(this.pod);
    if (pod.spec.containers.length === 0 && !this.noContainers) {
      pod.spec.containers.push({ name: 'app', image: 'nginx' });
    }
    return pod;
  }

  /** Leaves the containers list empty instead of adding a default `app` container. */
  withoutContainers(): this {
    this.noContainers = true;
    return this;
  }

  template(labels: Record<string, string>): PodTemplateSpec {
    const { spec } = this.build();
    return { metadata: { labels }, spec };
  }
}

export const makePod = (): PodBuilder => new PodBuilder();

export class ServiceBuilder {
  private noPorts = false;
  private readonly svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [] },
  };

  spec(fields: Partial<Service['spec']>): this {
    Object.assign(this.svc.spec, fields);
    return this;
  }

  port(port: number, fields: Partial<ServicePort> = {}): this {
    (this.svc.spec.ports ??= []).push({ port, protocol: 'TCP', ...fields });
    return this;
  }

  build(): Service {
    const svc = structuredClone(this.svc);
    if ((svc.spec.ports ?? []).length === 0 && !this.noPorts) svc.spec.ports = [{ port: 80 }];
    return svc;
  }

  withoutPorts(): this {
    this.noPorts = true;
    return this;
  }
}

export const makeService = (): ServiceBuilder => new ServiceBuilder();

export function makeReplicaSet(fields: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: makePod().template({ app: 'web' }),
      ...fields,
    },
  };
}

export function makeDeployment(fields: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: makePod().template({ app: 'web' }),
      ...fields,
    },
  };
}
