// The custom resources served right now, by CRD. Routing, discovery and OpenAPI read its kinds
// (it is the dynamic half of ../routing/served-kinds.ts) and the registry table its registries;
// only the CRD controller changes it.
import type { CustomResourceDefinition, KindInfo } from '@skiff/api';
import type { Registry } from '../registry/registry.js';
import type { ServedKinds } from '../routing/served-kinds.js';
import type { ServedCustomResource } from './served-resource.js';

export class CustomResourceTable implements ServedKinds {
  /** By CRD name. */
  private readonly byName = new Map<string, ServedCustomResource>();
  /** By `<group>/<plural>`, for request routing. */
  private readonly byResource = new Map<string, ServedCustomResource>();

  get(crdName: string): ServedCustomResource | undefined {
    return this.byName.get(crdName);
  }

  /** Serves `served` under `crdName`, retiring what served that CRD before. */
  set(crdName: string, served: ServedCustomResource): void {
    const old = this.byName.get(crdName);
    if (old) this.forget(old);
    this.byName.set(crdName, served);
    this.byResource.set(resourceKey(served.primary.kind), served);
    old?.stop();
  }

  remove(crdName: string): void {
    const old = this.byName.get(crdName);
    if (!old) return;
    this.byName.delete(crdName);
    this.forget(old);
    old.stop();
  }

  removeAll(): void {
    for (const name of [...this.byName.keys()]) this.remove(name);
  }

  /** The CRDs served right now (OpenAPI publishes their schemas). */
  definitions(): readonly CustomResourceDefinition[] {
    return [...this.byName.values()].map((served) => served.crd);
  }

  all(): readonly KindInfo[] {
    return [...this.byName.values()].flatMap((served) => served.kinds);
  }

  forResource(group: string, version: string, resource: string): KindInfo | undefined {
    const served = this.byResource.get(`${group}/${resource}`);
    return served?.kinds.find((k) => k.version === version);
  }

  /** A version's registry; without a version, the storage version's. */
  registryFor(kind: { group: string; resource: string; version?: string }): Registry | undefined {
    return this.byResource.get(`${kind.group}/${kind.resource}`)?.registryFor(kind.version);
  }

  /** One registry per served CRD (the storage version's). */
  registries(): Registry[] {
    return [...this.byName.values()].map((served) => served.primary);
  }

  private forget(served: ServedCustomResource): void {
    const key = resourceKey(served.primary.kind);
    if (this.byResource.get(key) === served) this.byResource.delete(key);
  }
}

function resourceKey(kind: KindInfo): string {
  return `${kind.group}/${kind.resource}`;
}
