// Which resource a call is about, resolved once: the kinds table says the kind, its scope and
// subresources for built-in resources; anything else (a custom resource) is taken as given,
// namespaced when the call names a namespace, with a status subresource.
import { kindFor, kindForResource, type KindInfo, type Subresource } from '@skiff/api';
import type { GroupVersionResource } from '../../rest/paths.js';
import type { KubeObject } from '../../rest/resource-client.js';

export interface TrackedResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  /** Known for built-in kinds; for others, learnt from the first object that carries it. */
  readonly kind: string | undefined;
  readonly apiVersion: string;
  readonly namespaced: boolean | undefined;
  readonly subresources: readonly Subresource[];
}

export function resolveResource(gvr: GroupVersionResource): TrackedResource {
  const known = kindForResource(gvr.group, gvr.version, gvr.resource);
  return known ? fromKind(known) : custom(gvr);
}

/** The resource an object belongs to, from its apiVersion and kind (built-in kinds only). */
export function resourceOfObject(object: KubeObject): TrackedResource | undefined {
  if (!object.apiVersion || !object.kind) return undefined;
  const known = kindFor(object.apiVersion, object.kind);
  return known ? fromKind(known) : undefined;
}

/** Storage is per group and resource, whatever version a caller speaks. */
export function resourceKey(resource: Pick<TrackedResource, 'group' | 'resource'>): string {
  return `${resource.group}/${resource.resource}`;
}

function fromKind(kind: KindInfo): TrackedResource {
  return {
    group: kind.group,
    version: kind.version,
    resource: kind.resource,
    kind: kind.kind,
    apiVersion: kind.apiVersion,
    namespaced: kind.namespaced,
    subresources: kind.subresources,
  };
}

function custom(gvr: GroupVersionResource): TrackedResource {
  return {
    group: gvr.group,
    version: gvr.version,
    resource: gvr.resource,
    kind: undefined,
    apiVersion: gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`,
    namespaced: undefined,
    subresources: ['status'],
  };
}
