// The built-in kinds, one row each. The apiserver routes URLs, answers discovery and picks a
// schema and a defaulter from this table, and the CLI resolves `po`, `deploy`, … with it, so
// adding a kind here (plus its types, schema and defaulter) is all it takes to serve it.

export type Subresource =
  'status' | 'scale' | 'binding' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'finalize';

export type Verb =
  'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface GroupVersionKind {
  /** `""` is the core group, whose apiVersion is just the version (`v1`). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface KindInfo extends GroupVersionKind {
  /** `v1` for the core group, `group/version` otherwise. */
  readonly apiVersion: string;
  readonly listKind: string;
  /** The plural, lowercase resource name in URLs: `/api/v1/namespaces/ns/pods`. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** `all` puts the kind in `kubectl get all`. */
  readonly categories: readonly string[];
  readonly subresources: readonly Subresource[];
  readonly verbs: readonly Verb[];
  /**
   * The version objects of this kind are stored in, when it is not `version` (a CRD serving
   * several versions stores one); discovery's storageVersionHash is computed from it.
   */
  readonly storageVersion?: string;
}

/** Every verb: what a kind answers unless its row says less, and what custom resources answer. */
export const allVerbs: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

interface KindRow {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: Subresource[];
  verbs?: Verb[];
}

function row(r: KindRow): KindInfo {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    apiVersion: apiVersionOf(r.group, r.version),
    listKind: `${r.kind}List`,
    resource: r.resource,
    singular: r.kind.toLowerCase(),
    namespaced: r.namespaced,
    shortNames: r.shortNames ?? [],
    categories: r.categories ?? [],
    subresources: r.subresources ?? [],
    verbs: r.verbs ?? allVerbs,
  };
}

export const builtinKinds: readonly KindInfo[] = [
  row({
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'attach', 'portforward'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'Service',
    resource: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status', 'proxy'],
    // As in Kubernetes, services and namespaces cannot be deleted in bulk (no deletecollection).
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    resource: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'Node',
    resource: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status', 'proxy'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    resource: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'Event',
    resource: 'events',
    namespaced: true,
    shortNames: ['ev'],
  }),
  row({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    resource: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
  }),
  row({ group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true }),
  row({
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    resource: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  row({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    resource: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  row({
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    resource: 'endpointslices',
    namespaced: true,
  }),
  row({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    resource: 'leases',
    namespaced: true,
  }),
  row({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    resource: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
  }),
];

/**
 * Kinds that exist only as the body of a subresource request, never stored on their own:
 * `POST pods/x/binding` takes a Binding, `GET|PUT deployments/x/scale` a Scale.
 */
export const subresourceBodyKinds: readonly (GroupVersionKind & { apiVersion: string })[] = [
  { group: '', version: 'v1', kind: 'Binding', apiVersion: 'v1' },
  { group: 'autoscaling', version: 'v1', kind: 'Scale', apiVersion: 'autoscaling/v1' },
];

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Splits `apps/v1` into group `apps` and version `v1`; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const byApiVersionKind = new Map(builtinKinds.map((k) => [`${k.apiVersion}/${k.kind}`, k]));
const byGroupVersionResource = new Map(
  builtinKinds.map((k) => [`${k.group}/${k.version}/${k.resource}`, k]),
);

/** The row for a manifest's `apiVersion` + `kind`, or undefined if skiff has no such kind. */
export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  return byApiVersionKind.get(`${apiVersion}/${kind}`);
}

/** The row behind a URL such as `/apis/apps/v1/namespaces/x/deployments`. */
export function kindForResource(
  group: string,
  version: string,
  resource: string,
): KindInfo | undefined {
  return byGroupVersionResource.get(`${group}/${version}/${resource}`);
}

/**
 * What a user typed after `get`: a plural, singular, short name or kind, optionally qualified
 * by group (`deploy`, `Deployment`, `deployments.apps`). Case-insensitive, as kubectl is.
 */
export function findKindByName(name: string): KindInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return builtinKinds.find(
    (k) =>
      (group === undefined || k.group === group) &&
      (k.resource === base ||
        k.singular === base ||
        k.kind.toLowerCase() === base ||
        k.shortNames.includes(base)),
  );
}

/** The group/version/kind a subresource reads and writes, as discovery reports it. */
export function subresourceKind(parent: KindInfo, subresource: Subresource): GroupVersionKind {
  switch (subresource) {
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding' };
    case 'exec':
      return { group: '', version: 'v1', kind: 'PodExecOptions' };
    case 'attach':
      return { group: '', version: 'v1', kind: 'PodAttachOptions' };
    case 'portforward':
      return { group: '', version: 'v1', kind: 'PodPortForwardOptions' };
    case 'proxy':
      return { group: '', version: 'v1', kind: `${parent.kind}ProxyOptions` };
    case 'status':
    case 'log':
    case 'finalize':
      return { group: parent.group, version: parent.version, kind: parent.kind };
  }
}
