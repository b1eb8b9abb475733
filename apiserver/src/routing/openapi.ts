// A minimal OpenAPI surface, enough for kubectl: it asks /openapi/v3 whether PATCH on a kind
// takes the `fieldValidation` parameter (server-side validation) before it applies a manifest,
// and refuses to apply without an answer. The documents describe each resource's operations
// with their group/version/kind; they carry no schemas (kubectl then computes strategic merge
// patches from its built-in types, as it does for any server without them).
// Custom resources are listed the same way, without their schemas: kubectl then sends them JSON
// merge patches (it has no built-in type for them), which is what a CRD accepts.
import { createHash } from 'node:crypto';
import type { KindInfo } from '@skiff/api';

const queryParameters = ['fieldValidation', 'dryRun', 'fieldManager', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string' },
  uniqueItems: true,
}));

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The root: one entry per group/version, each pointing at its document. */
export function openApiV3Root(kinds: readonly KindInfo[], serverVersion: string): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const byPath = new Map<string, KindInfo[]>();
  for (const k of kinds) {
    const path = gvPath(k.group, k.version);
    byPath.set(path, [...(byPath.get(path) ?? []), k]);
  }
  for (const [path, gvKinds] of byPath) {
    // kubectl caches each document under its hash: a CRD that changes a group/version must
    // change the hash, or kubectl keeps reading the old document.
    const hash = createHash('sha256')
      .update(serverVersion)
      .update(JSON.stringify(gvKinds))
      .digest('hex')
      .slice(0, 32);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

function operation(k: KindInfo, action: string): object {
  return {
    operationId: `${action}${k.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind },
    parameters: queryParameters,
    responses: { '200': { description: 'OK' } },
  };
}

export function openApiV3Document(
  served: readonly KindInfo[],
  group: string,
  version: string,
  serverVersion: string,
): object | undefined {
  const kinds = served.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const k of kinds) {
    const base = `/${gvPath(group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
    paths[base] = {
      get: operation(k, 'list'),
      post: operation(k, 'post'),
      parameters: queryParameters,
    };
    paths[`${base}/{name}`] = {
      get: operation(k, 'get'),
      put: operation(k, 'put'),
      patch: operation(k, 'patch'),
      delete: operation(k, 'delete'),
      parameters: queryParameters,
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths,
    components: { schemas: {} },
  };
}
