// makeEndpointSlice(): an IPv4 EndpointSlice of the Service `web` (labelled
// `kubernetes.io/service-name`, as the endpointslice controller labels its slices), with no
// endpoints or ports until the chain adds them. endpoint() defaults to a ready endpoint.
import type {
  Endpoint,
  EndpointConditions,
  EndpointSlice,
  EndpointSlicePort,
} from '../../types/index.js';
import { ObjectBuilder } from './object-builder.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export class EndpointSliceBuilder extends ObjectBuilder<EndpointSlice> {
  constructor() {
    super({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', labels: { [SERVICE_NAME_LABEL]: 'web' } },
      addressType: 'IPv4',
      endpoints: [],
    });
  }

  /** The Service this slice belongs to (its `kubernetes.io/service-name` label). */
  service(name: string): this {
    return this.labels({ [SERVICE_NAME_LABEL]: name });
  }

  /** Appends a port (TCP unless `fields` say otherwise). */
  port(port: number, fields: Partial<EndpointSlicePort> = {}): this {
    (this.object.ports ??= []).push({ port, protocol: 'TCP', ...structuredClone(fields) });
    return this;
  }

  /**
   * Appends an endpoint at `address`; conditions default to ready and serving, so
   * `{ ready: false, serving: true, terminating: true }` spells a terminating one.
   */
  endpoint(
    address: string,
    conditions: EndpointConditions = {},
    fields: Partial<Omit<Endpoint, 'addresses' | 'conditions'>> = {},
  ): this {
    this.object.endpoints.push({
      addresses: [address],
      conditions: { ready: true, serving: true, terminating: false, ...conditions },
      ...structuredClone(fields),
    });
    return this;
  }
}

export const makeEndpointSlice = (): EndpointSliceBuilder => new EndpointSliceBuilder();
