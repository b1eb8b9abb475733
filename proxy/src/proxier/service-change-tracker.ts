// Services as the proxier needs them (kube-proxy's ServiceChangeTracker): each Service's ports,
// read once when the informer reports a change, and the names of the Services changed since the
// last sync — what a partial sync rewrites.
import type { Service } from '@skiff/api';
import { servicePortsOf, type ServicePortInfo } from '../model/service-port.js';
import { ChangedNames } from './changed-names.js';

export const namespacedName = (meta: { namespace?: string; name?: string }): string =>
  `${meta.namespace ?? 'default'}/${meta.name ?? ''}`;

export class ServiceChangeTracker {
  private readonly ports = new Map<string, ServicePortInfo[]>();
  private readonly dirty = new ChangedNames();

  update(service: Readonly<Service>): void {
    const name = namespacedName(service.metadata);
    this.ports.set(name, servicePortsOf(service));
    this.dirty.add(name);
  }

  delete(service: Readonly<Service>): void {
    const name = namespacedName(service.metadata);
    this.ports.delete(name);
    this.dirty.add(name);
  }

  portsOf(name: string): readonly ServicePortInfo[] {
    return this.ports.get(name) ?? [];
  }

  names(): IterableIterator<string> {
    return this.ports.keys();
  }

  pending(): number {
    return this.dirty.pending();
  }

  /** The Services changed since the last call. */
  takeChanged(): Set<string> {
    return this.dirty.take();
  }
}
