// EndpointSlices as the proxier needs them (kube-proxy's EndpointsChangeTracker): the slices of
// each Service, merged into endpoints per Service port when asked, and the names of the
// Services whose endpoints changed since the last sync.
import type { EndpointSlice } from '@skiff/api';
import { endpointsBySlices, SERVICE_NAME_LABEL, type EndpointInfo } from '../model/endpoint.js';
import { ChangedNames } from './changed-names.js';

export class EndpointsChangeTracker {
  /** Slices by Service (`ns/name`), then by slice name. */
  private readonly slices = new Map<string, Map<string, Readonly<EndpointSlice>>>();
  private readonly dirty = new ChangedNames();

  constructor(private readonly nodeName: string) {}

  update(slice: Readonly<EndpointSlice>): void {
    const service = serviceOf(slice);
    if (service === undefined) return;
    const slices = this.slices.get(service) ?? new Map<string, Readonly<EndpointSlice>>();
    slices.set(slice.metadata.name ?? '', slice);
    this.slices.set(service, slices);
    this.dirty.add(service);
  }

  delete(slice: Readonly<EndpointSlice>): void {
    const service = serviceOf(slice);
    if (service === undefined) return;
    const slices = this.slices.get(service);
    slices?.delete(slice.metadata.name ?? '');
    if (slices?.size === 0) this.slices.delete(service);
    this.dirty.add(service);
  }

  /** Endpoints of a Service's ports, by service-port key. */
  endpointsOf(service: string): Map<string, EndpointInfo[]> {
    return endpointsBySlices([...(this.slices.get(service)?.values() ?? [])], this.nodeName);
  }

  pending(): number {
    return this.dirty.pending();
  }

  /** The Services changed since the last call. */
  takeChanged(): Set<string> {
    return this.dirty.take();
  }
}

function serviceOf(slice: Readonly<EndpointSlice>): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name === undefined ? undefined : `${slice.metadata.namespace ?? 'default'}/${name}`;
}
