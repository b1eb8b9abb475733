// How a builder names the kinds it watches: a built-in kind as kubectl would (`'configmaps'`,
// `'cm'`, `'ConfigMap'`, `'deployments.apps'`) or by its client helper name (`'configMaps'`),
// or a custom resource by group/version/resource plus its kind (the kind is what owner
// references carry, so owns() needs it).
import { builtinKinds } from '@skiff/api';
import { NoMatchError, RESTMapper } from '../discovery/rest-mapper.js';
import type { BuiltinKinds } from '../informers/index.js';
import type { GroupVersionResource, Unstructured } from '../rest/index.js';
import { helperName } from '../rest/typed-clients.js';

export interface CustomKind extends GroupVersionResource {
  /** `Website`: what `ownerReferences[].kind` says. */
  readonly kind: string;
  /** Default true (CRDs usually are). */
  readonly namespaced?: boolean;
}

/** A helper name (typed objects), any other kubectl-style name of a built-in, or a CustomKind. */
// `string & {}` keeps the helper names offered by completion while accepting any string.
export type KindRef = keyof BuiltinKinds | (string & {}) | CustomKind;

/** The object type of a kind reference: typed for built-ins, Unstructured for custom ones. */
export type ObjectOf<K extends KindRef> = K extends keyof BuiltinKinds
  ? BuiltinKinds[K]
  : Unstructured;

export interface ResolvedKind {
  readonly gvr: GroupVersionResource;
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export function resolveKind(ref: KindRef): ResolvedKind {
  if (typeof ref !== 'string') {
    const { group, version, resource, kind } = ref;
    return { gvr: { group, version, resource }, group, kind, namespaced: ref.namespaced ?? true };
  }
  const info = builtinKinds.find((k) => helperName(k) === ref) ?? builtinByKubectlName(ref);
  return {
    gvr: { group: info.group, version: info.version, resource: info.resource },
    group: info.group,
    kind: info.kind,
    namespaced: info.namespaced,
  };
}

const builtinMapper = RESTMapper.builtin();

function builtinByKubectlName(name: string): {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
} {
  try {
    return builtinMapper.resourceFor(name);
  } catch (err) {
    if (!(err instanceof NoMatchError)) throw err;
    throw new Error(
      `no built-in kind is served as "${name}" (name a built-in as kubectl does — configmaps, ` +
        `cm, ConfigMap, deployments.apps — and a custom resource by {group, version, resource, kind})`,
      { cause: err },
    );
  }
}

/** `Website.tutorial.skiff.dev` → `website`: the default controller name, as controller-runtime's. */
export function defaultControllerName(kind: ResolvedKind): string {
  return kind.kind.toLowerCase();
}
