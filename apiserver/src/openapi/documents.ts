// The OpenAPI documents: /openapi/v3 (an index of one document per group/version, each with the
// paths of its resources and the schemas they reach) and /openapi/v2 (one document for
// everything). kubectl reads them for explain, for strategic merge patches in apply, for
// client-side validation, and to learn that PATCH takes fieldValidation (server-side
// validation). Built-in definitions are generated once; custom resources' are added per request,
// since CRDs come and go.
import { createHash } from 'node:crypto';
import type { CustomResourceDefinition, KindInfo } from '@skiff/api';
import { builtinDefinitions } from './builtin-definitions.js';
import { customResourceDefinitions } from './custom-resource-definitions.js';
import type { V2Document } from './gnostic-v2.js';
import { definitionOf, type RefStyle } from './refs.js';
import type { Definitions, OpenApiSchema } from './schema-types.js';

const queryParameters = ['fieldValidation', 'dryRun', 'fieldManager', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string' },
  uniqueItems: true,
}));

const v2QueryParameters = queryParameters.map(({ schema, ...p }) => ({ ...p, type: schema.type }));

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function allDefinitions(style: RefStyle, crds: readonly CustomResourceDefinition[]): Definitions {
  return { ...builtinDefinitions(style), ...customResourceDefinitions(crds, style) };
}

/** The definitions `roots` refer to, directly or not, and the roots themselves. */
function reachable(all: Definitions, roots: readonly string[], style: RefStyle): Definitions {
  const out: Definitions = {};
  const pending = [...roots];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const name = definitionOf(child, style);
        if (name !== undefined) pending.push(name);
      } else visit(child);
    }
  };
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (Object.hasOwn(out, name)) continue;
    const schema = all[name];
    if (!schema) continue;
    out[name] = schema;
    visit(schema);
  }
  return out;
}

/** Definitions whose GVK is one of `kinds` (the kinds and their lists). */
function rootsOf(all: Definitions, kinds: readonly KindInfo[]): string[] {
  const wanted = new Set(
    kinds.flatMap((k) => [
      `${k.group}/${k.version}/${k.kind}`,
      `${k.group}/${k.version}/${k.listKind}`,
    ]),
  );
  return Object.entries(all)
    .filter(([, schema]) =>
      (schema['x-kubernetes-group-version-kind'] ?? []).some((g) =>
        wanted.has(`${g.group}/${g.version}/${g.kind}`),
      ),
    )
    .map(([name]) => name);
}

function operation(k: KindInfo, action: string, v2: boolean): object {
  return {
    operationId: `${action}${k.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind },
    parameters: v2 ? v2QueryParameters : queryParameters,
    responses: { '200': { description: 'OK' } },
  };
}

function pathsOf(kinds: readonly KindInfo[], v2: boolean): Record<string, object> {
  const paths: Record<string, object> = {};
  for (const k of kinds) {
    const base = `/${gvPath(k.group, k.version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
    const parameters = v2 ? v2QueryParameters : queryParameters;
    paths[base] = { get: operation(k, 'list', v2), post: operation(k, 'post', v2), parameters };
    paths[`${base}/{name}`] = {
      get: operation(k, 'get', v2),
      put: operation(k, 'put', v2),
      patch: operation(k, 'patch', v2),
      delete: operation(k, 'delete', v2),
      parameters,
    };
  }
  return paths;
}

function groupVersionKinds(kinds: readonly KindInfo[], group: string, version: string): KindInfo[] {
  return kinds.filter((k) => k.group === group && k.version === version);
}

export function openApiV3Document(
  served: readonly KindInfo[],
  crds: readonly CustomResourceDefinition[],
  group: string,
  version: string,
  serverVersion: string,
): object | undefined {
  const kinds = groupVersionKinds(served, group, version);
  if (kinds.length === 0) return undefined;
  const all = allDefinitions('v3', crds);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths: pathsOf(kinds, false),
    components: { schemas: reachable(all, rootsOf(all, kinds), 'v3') },
  };
}

/**
 * The index: one entry per group/version, each pointing at its document with a hash of it.
 * kubectl caches a document under its hash, so a CRD that changes a group/version's schemas
 * changes the hash, and kubectl reads the new document.
 */
export function openApiV3Root(
  kinds: readonly KindInfo[],
  crds: readonly CustomResourceDefinition[],
  serverVersion: string,
): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const groupVersions = new Map(kinds.map((k) => [gvPath(k.group, k.version), k]));
  for (const [path, k] of groupVersions) {
    const document = openApiV3Document(kinds, crds, k.group, k.version, serverVersion);
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

/** The single v2 document (Swagger 2.0): every served path and every definition. */
export function openApiV2Document(
  kinds: readonly KindInfo[],
  crds: readonly CustomResourceDefinition[],
  serverVersion: string,
): V2Document {
  const all = allDefinitions('v2', crds);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths: pathsOf(kinds, true),
    definitions: reachable(all, rootsOf(all, kinds), 'v2'),
  };
}

export type { OpenApiSchema };
