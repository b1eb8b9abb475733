// Everything that serves one CRD: per served version a kinds-table row, a registry (the same
// generic Registry as every built-in kind, with the custom resource strategy and a codec that
// converts to the storage version) and its watch cache. Built from one CRD generation and its
// granted names; a CRD change builds a new one and retires this one, as Kubernetes swaps a
// CRD's storage when the CRD changes.
import {
  apiVersionOf,
  type Clock,
  type CustomResourceDefinition,
  type CustomResourceDefinitionNames,
  type KindInfo,
} from '@skiff/api';
import type { AdmissionChain } from '../admission/chain.js';
import type { ApiObject } from '../registry/api-object.js';
import { Registry } from '../registry/registry.js';
import { listPrefix, type Storage } from '../storage/index.js';
import { WatchCache } from '../watchcache/index.js';
import { setCustomColumns } from '../http/table/custom-columns.js';
import { customResourceStrategy } from './custom-resource-strategy.js';
import { kindOfVersion, servedVersionsOf, storageResourceOf, storageVersionOf } from './kinds.js';
import { printerColumns } from './printer-columns.js';
import { CompiledSchema } from './schema/compiled-schema.js';
import { versionCodec } from './version-codec.js';

export interface ServingDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly admission: AdmissionChain;
  readonly bookmarkIntervalMs: number;
  readonly log: (message: string) => void;
  /** Expected, self-healing trouble (a watch cache relisting); see ApiServerOptions.warn. */
  readonly warn: (message: string) => void;
}

/** What a served CRD was built from: a new value means the registries must be rebuilt. */
export function servingSignature(
  crd: CustomResourceDefinition,
  names: CustomResourceDefinitionNames,
): string {
  return JSON.stringify({ spec: crd.spec, names });
}

export class ServedCustomResource {
  readonly signature: string;
  readonly kinds: readonly KindInfo[];
  /** By version name. */
  readonly registries: ReadonlyMap<string, Registry>;
  /** The storage version's registry: the one listings across versions and metrics use. */
  readonly primary: Registry;
  /** Set by the CRD controller once the CRD is being deleted: creates are refused. */
  terminating = false;
  private readonly caches: WatchCache<ApiObject>[] = [];
  private readonly stopCaches = new AbortController();

  /** Throws when a version's schema does not compile (the CRD admission check prevents it). */
  constructor(
    readonly crd: CustomResourceDefinition,
    names: CustomResourceDefinitionNames,
    deps: ServingDeps,
  ) {
    this.signature = servingSignature(crd, names);
    const group = crd.spec.group;
    const storageVersion = storageVersionOf(crd)?.name ?? crd.spec.versions[0]?.name ?? '';
    const storageResource = storageResourceOf(crd);
    const registries = new Map<string, Registry>();
    const kinds: KindInfo[] = [];
    for (const version of servedVersionsOf(crd)) {
      const kind = kindOfVersion(crd, names, version);
      setCustomColumns(kind, printerColumns(version.additionalPrinterColumns));
      const codec = versionCodec(kind.apiVersion, apiVersionOf(group, storageVersion));
      const cache = new WatchCache<ApiObject>({
        storage: deps.storage,
        prefix: listPrefix(storageResource),
        decode: (kv) => codec.decode(kv),
        clock: deps.clock,
        bookmarkIntervalMs: deps.bookmarkIntervalMs,
        bookmarkOf: (resourceVersion) => ({
          kind: kind.kind,
          apiVersion: kind.apiVersion,
          metadata: { resourceVersion },
        }),
        warn: deps.warn,
      });
      const strategy = customResourceStrategy({
        kind,
        schema: new CompiledSchema(version.schema?.openAPIV3Schema),
        subresources: version.subresources,
        terminating: () => this.terminating,
      });
      this.caches.push(cache);
      kinds.push(kind);
      registries.set(
        version.name,
        new Registry(kind, strategy, {
          storage: deps.storage,
          clock: deps.clock,
          admission: deps.admission,
          cache,
          storageResource,
          codec,
        }),
      );
    }
    this.kinds = kinds;
    this.registries = registries;
    const primary = registries.get(storageVersion) ?? [...registries.values()][0];
    if (!primary) throw new Error(`CRD ${crd.metadata.name ?? ''} serves no version`);
    this.primary = primary;
  }

  /** Starts the watch caches and resolves once they hold their lists. */
  async start(log: (message: string) => void): Promise<void> {
    for (const cache of this.caches) {
      cache
        .start(this.stopCaches.signal)
        .catch((err: unknown) => log(`watch cache ${cache.prefix} ended: ${String(err)}`));
    }
    await Promise.all(this.caches.map((cache) => cache.waitReady(this.stopCaches.signal)));
  }

  /** Ends the caches, and with them every watch on this CRD's resource. */
  stop(): void {
    this.stopCaches.abort();
  }

  registryFor(version: string | undefined): Registry | undefined {
    return version === undefined ? this.primary : this.registries.get(version);
  }
}
