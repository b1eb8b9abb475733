// RESTMapper, as client-go and kubectl name it: from what a user types (`configmaps`, `cm`,
// `ConfigMap`, `deployments.apps`, `deployments.v1.apps`) or what a manifest says
// (apiVersion + kind) to the resource's URL coordinates. kubectl builds it from discovery, so a
// CRD's names work as soon as it is served; the same matching runs over the built-in kinds when
// there is no server to ask (a controller builder naming the kinds it watches).
import { builtinKinds } from '@skiff/api';
import type { GroupVersionResource } from '../rest/index.js';
import { parseGroupVersion, type ServerResources } from './server-resources.js';

export interface ResourceMapping extends GroupVersionResource {
  readonly kind: string;
  /** Lowercase singular: `configmap`. */
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
}

/** No resource or kind matched: kubectl's words, so scripts and people see the same error. */
export class NoMatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoMatchError';
  }
}

export class RESTMapper {
  /** `mappings` in priority order: the first match wins (core group, then preferred versions). */
  constructor(readonly mappings: readonly ResourceMapping[]) {}

  /** Over what the server serves: preferred versions first, in discovery's group order. */
  static fromDiscovery(discovered: ServerResources): RESTMapper {
    const ordered = [
      ...discovered.groupVersions.filter((gv) => discovered.preferred.has(gv)),
      ...discovered.groupVersions.filter((gv) => !discovered.preferred.has(gv)),
    ];
    const mappings: ResourceMapping[] = [];
    for (const groupVersion of ordered) {
      const gv = parseGroupVersion(groupVersion);
      const list = discovered.lists.get(groupVersion);
      if (!gv || !list) continue;
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // a subresource: pods/log, deployments/scale
        mappings.push({
          ...gv,
          resource: r.name,
          kind: r.kind,
          singular: r.singularName || r.kind.toLowerCase(),
          namespaced: r.namespaced,
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
    return new RESTMapper(mappings);
  }

  /** Over the built-in kinds only: what a process without discovery can name. */
  static builtin(): RESTMapper {
    return new RESTMapper(
      builtinKinds.map((k) => ({
        group: k.group,
        version: k.version,
        resource: k.resource,
        kind: k.kind,
        singular: k.singular || k.kind.toLowerCase(),
        namespaced: k.namespaced,
        shortNames: k.shortNames,
        categories: k.categories,
        verbs: k.verbs,
      })),
    );
  }

  /**
   * What `kubectl get <arg>` means by arg: a plural, singular, short name or kind, optionally
   * followed by `.group` or `.version.group`. Throws NoMatchError otherwise.
   */
  resourceFor(arg: string): ResourceMapping {
    const found = this.candidates(arg)[0];
    if (!found) throw new NoMatchError(`the server doesn't have a resource type "${arg}"`);
    return found;
  }

  /** Every resource in a category kubectl expands (`all`). */
  category(name: string): ResourceMapping[] {
    const seen = new Set<string>();
    return this.mappings.filter((m) => {
      const key = `${m.resource}.${m.group}`;
      if (!m.categories.includes(name) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** The resource a manifest's apiVersion and kind live at. */
  kindFor(apiVersion: string, kind: string): ResourceMapping {
    const gv = parseGroupVersion(apiVersion);
    const found = this.mappings.find(
      (m) =>
        gv !== undefined && m.group === gv.group && m.version === gv.version && m.kind === kind,
    );
    if (!found) throw new NoMatchError(`no matches for kind "${kind}" in version "${apiVersion}"`);
    return found;
  }

  private candidates(arg: string): ResourceMapping[] {
    const [name = '', ...rest] = arg.split('.');
    const lower = name.toLowerCase();
    const named = (m: ResourceMapping) =>
      m.resource === lower ||
      m.singular === lower ||
      m.kind.toLowerCase() === lower ||
      m.shortNames.includes(lower);
    // `deployments.v1.apps` names a version only when what follows the first dot is a version
    // the group serves; otherwise it is all group (`ingresses.networking.k8s.io`).
    const [maybeVersion = '', ...groupParts] = rest;
    const fullySpecified = this.mappings.filter(
      (m) =>
        rest.length >= 2 &&
        named(m) &&
        m.version === maybeVersion &&
        m.group === groupParts.join('.'),
    );
    if (fullySpecified.length > 0) return fullySpecified;
    const group = rest.join('.');
    return this.mappings.filter((m) => named(m) && (rest.length === 0 || m.group === group));
  }
}
