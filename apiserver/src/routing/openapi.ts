// A minimal OpenAPI surface, enough for kubectl: it asks /openapi/v3 whether PATCH on a kind
// takes the `fieldValidation` parameter (server-side validation) before it applies a manifest,
// and refuses to apply without an answer. The documents describe each resource's operations
// with their group/version/kind; they carry no schemas (kubectl then computes strategic merge
// patches from its built-in types, as it does for any server without them).
import { builtinKinds, type KindInfo } from '@skiff/api';

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
export function openApiV3Root(serverVersion: string): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const k of builtinKinds) {
    const path = gvPath(k.group, k.version);
    paths[path] = {
      serverRelativeURL: `/openapi/v3/${path}?hash=${encodeURIComponent(serverVersion)}`,
    };
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
  group: string,
  version: string,
  serverVersion: string,
): object | undefined {
  const kinds = builtinKinds.filter((k) => k.group === group && k.version === version);
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
