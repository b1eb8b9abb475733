// discovery.k8s.io/v1 EndpointSlice: as Kubernetes defaults EndpointPort, a port without a
// protocol is TCP and a port without a name has the empty name.
import type { EndpointSlice } from '../types/index.js';

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}
