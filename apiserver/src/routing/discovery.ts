// Discovery: how kubectl and client libraries learn which groups, versions and resources exist
// (/api, /apis, /api/v1, /apis/{group}/{version}). Built from the kinds served right now (the
// built-in table plus established CRDs, ./served-kinds.ts), so every kind the apiserver serves
// is discoverable and nothing else is. Clients that prefer aggregated discovery (kubectl ≥ 1.26)
// fall back to these documents when the response is plain JSON.
import { createHash } from 'node:crypto';
import { subresourceKind, type KindInfo } from '@skiff/api';
import { subresourceVerbs } from './dispatch.js';
import { compareVersionPriority } from './version-priority.js';

interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** Groups in the order first seen; a group's versions most preferred first. */
function groupVersions(kinds: readonly KindInfo[]): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const k of kinds)
    seen.set(`${k.group}/${k.version}`, { group: k.group, version: k.version });
  const groups = [...new Set([...seen.values()].map((gv) => gv.group))];
  return groups.flatMap((group) =>
    [...seen.values()]
      .filter((gv) => gv.group === group)
      .sort((a, b) => compareVersionPriority(a.version, b.version)),
  );
}

export function apiVersions(kinds: readonly KindInfo[], serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: groupVersions(kinds)
      .filter((gv) => gv.group === '')
      .map((gv) => gv.version),
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(kinds: readonly KindInfo[], name: string): object | undefined {
  const versions = groupVersions(kinds)
    .filter((gv) => gv.group === name)
    .map((gv) => ({ groupVersion: `${gv.group}/${gv.version}`, version: gv.version }));
  const preferred = versions[0];
  if (!preferred) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions, preferredVersion: preferred };
}

export function apiGroupList(kinds: readonly KindInfo[]): object {
  const names = [...new Set(groupVersions(kinds).map((gv) => gv.group))].filter((g) => g !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: names.map((name) => {
      const {
        kind: _kind,
        apiVersion: _apiVersion,
        ...group
      } = apiGroup(kinds, name) as Record<string, unknown>;
      return group;
    }),
  };
}

export function apiGroupDocument(kinds: readonly KindInfo[], name: string): object | undefined {
  return apiGroup(kinds, name);
}

/**
 * Kubernetes' storageVersionHash: an opaque token that changes when a resource's storage
 * version changes, so storage migrators know to rewrite. It is computed the way
 * kube-apiserver does (base64 of the first 8 bytes of sha256 of `group/version/kind` of the
 * storage version, `/v1/Pod` for the core group), so skiff's tokens equal Kubernetes' ones.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  const digest = createHash('sha256').update(`${group}/${version}/${kind}`).digest();
  return digest.subarray(0, 8).toString('base64');
}

function resourceEntry(k: KindInfo): object {
  return {
    name: k.resource,
    singularName: k.singular,
    namespaced: k.namespaced,
    kind: k.kind,
    verbs: [...k.verbs],
    ...(k.shortNames.length > 0 ? { shortNames: [...k.shortNames] } : {}),
    ...(k.categories.length > 0 ? { categories: [...k.categories] } : {}),
    storageVersionHash: storageVersionHash(k.group, k.storageVersion ?? k.version, k.kind),
  };
}

function subresourceEntries(k: KindInfo): object[] {
  return k.subresources.map((sub) => {
    const gvk = subresourceKind(k, sub);
    const crossGroup = gvk.group !== k.group || gvk.version !== k.version;
    return {
      name: `${k.resource}/${sub}`,
      singularName: '',
      namespaced: k.namespaced,
      ...(crossGroup ? { group: gvk.group, version: gvk.version } : {}),
      kind: gvk.kind,
      verbs: subresourceVerbs(sub),
    };
  });
}

export function apiResourceList(
  served: readonly KindInfo[],
  group: string,
  version: string,
): object | undefined {
  const kinds = served.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: kinds.flatMap((k) => [resourceEntry(k), ...subresourceEntries(k)]),
  };
}
