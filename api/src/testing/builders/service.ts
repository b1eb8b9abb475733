// makeService(): `web`, selecting `app: web`, port 80 unless the chain adds ports (or asks for
// none with withoutPorts(), as an ExternalName or headless service may).
import type { Service, ServicePort, ServiceSpec, ServiceType } from '../../types/index.js';
import { ObjectBuilder } from './object-builder.js';

export class ServiceBuilder extends ObjectBuilder<Service> {
  private noPorts = false;

  constructor() {
    super({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [] },
    });
  }

  /** Appends a port (TCP unless `fields` say otherwise). */
  port(port: number, fields: Partial<ServicePort> = {}): this {
    (this.object.spec.ports ??= []).push({ port, protocol: 'TCP', ...structuredClone(fields) });
    return this;
  }

  withoutPorts(): this {
    this.noPorts = true;
    return this;
  }

  /** Replaces spec.selector. */
  selector(selector: Readonly<Record<string, string>>): this {
    this.object.spec.selector = { ...selector };
    return this;
  }

  type(type: ServiceType): this {
    this.object.spec.type = type;
    return this;
  }

  clusterIP(ip: string): this {
    this.object.spec.clusterIP = ip;
    return this;
  }

  /** Any other spec fields, merged over what is set. */
  spec(fields: Partial<ServiceSpec>): this {
    Object.assign(this.object.spec, structuredClone(fields));
    return this;
  }

  protected override complete(service: Service): void {
    if ((service.spec.ports ?? []).length === 0 && !this.noPorts)
      service.spec.ports = [{ port: 80 }];
  }
}

export const makeService = (): ServiceBuilder => new ServiceBuilder();
