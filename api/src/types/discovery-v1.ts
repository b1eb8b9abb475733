// discovery.k8s.io/v1 EndpointSlice: a Service's endpoints in pieces of at most a few hundred,
// so a change to one pod rewrites one small object instead of one huge Endpoints. The
// endpointslice controller keeps them; kube-proxy and DNS read them.
import type { ObjectReference } from './core-v1.js';
import type { Protocol } from './core-v1-container.js';
import type { ObjectMeta } from './meta.js';

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

export interface EndpointConditions {
  /** Ready to receive traffic (a terminating endpoint is never ready). */
  ready?: boolean;
  /** Like ready, but also true while terminating if the pod still passes readiness. */
  serving?: boolean;
  terminating?: boolean;
}

export interface EndpointHints {
  forZones?: { name: string }[];
  forNodes?: { name: string }[];
}

export interface Endpoint {
  /** One to 100 addresses of the slice's addressType; consumers may use only the first. */
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  deprecatedTopology?: Record<string, string>;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
}

/** A port of every endpoint in the slice; a missing port number means "all ports". */
export interface EndpointSlicePort {
  name?: string;
  protocol?: Protocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: 'discovery.k8s.io/v1';
  kind?: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: AddressType;
  endpoints: Endpoint[];
  ports?: EndpointSlicePort[];
}
