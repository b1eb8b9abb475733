// Plans from fixture objects, for the rule generators' tests: a Service and its slices in,
// the plan of each port out, as the proxier would make them on node `node-a`.
import type { EndpointSlice, Service } from '@skiff/api';
import { endpointsBySlices } from '../model/endpoint.js';
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
