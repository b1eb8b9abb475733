// Plans from fixture objects, for the rule generators' tests: a Service and its slices in,
// the plan of each port out, as the proxier would make them on node `node-a`.
import type { EndpointSlice, Service } from '@skiff/api';
import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { endpointsBySlices, type EndpointInfo } from '../model/endpoint.js';
import { planServicePort, type ServicePortPlan } from '../model/plan.js';
import { servicePortsOf } from '../model/service-port.js';

export const TEST_NODE = 'node-a';

export function plansOf(service: Service, ...slices: EndpointSlice[]): ServicePortPlan[] {
  const endpoints = endpointsBySlices(slices, TEST_NODE);
  return servicePortsOf(service).map((port) =>
    planServicePort(port, endpoints.get(port.key) ?? []),
  );
}

export function planOf(service: Service, ...slices: EndpointSlice[]): ServicePortPlan {
  const [plan] = plansOf(service, ...slices);
  if (!plan) throw new Error('the service has no port the proxy programs');
  return plan;
}

/** The Service port most tests program: ns/web, port 80 named http, ClusterIP 10.96.0.10. */
export const WEB_KEY = 'ns/web/tcp/http';

export const webService = () =>
  makeService().name('web').namespace('ns').clusterIP('10.96.0.10').port(80, { name: 'http' });

/** A slice of ns/web with ready endpoints at `ips`, port 8080 named http. */
export function webSlice(...ips: string[]): EndpointSlice {
  const slice = makeEndpointSlice().namespace('ns').port(8080, { name: 'http' });
  for (const ip of ips) slice.endpoint(ip);
  return slice.obj();
}

/** A ready endpoint at `ip`:8080, as a chain name is made from it. */
export const readyEndpoint = (ip: string): EndpointInfo => ({
  ip,
  port: 8080,
  ready: true,
  serving: true,
  terminating: false,
  isLocal: false,
});
