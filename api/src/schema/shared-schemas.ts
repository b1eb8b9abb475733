// Sub-schemas that several kinds embed, compiled once and called from every kind's validator.
// Ajv generates the code of a schema into the validator of each root that contains it: Pod,
// Deployment, ReplicaSet (and every other kind with a pod template) each carried its own copy of
// PodSpec's checks — ~580 KB of generated source apiece, plus its compiled code, resident in the
// apiserver for good. Compiled as a schema of its own and reached by `$ref`, PodSpec is one
// function the kinds share. The schemas themselves are not changed (locate.ts and the OpenAPI
// documents read them as they are): only the copy handed to Ajv says `$ref`.
import type { JsonSchema } from './json-schema.js';
import { podSpec } from './pod.js';

/** Ajv's key for each shared sub-schema, by the object the kinds' schemas embed. */
export const SHARED_SCHEMAS: ReadonlyMap<JsonSchema, string> = new Map([
  [podSpec, 'skiff-shared-pod-spec'],
]);

/**
 * A copy of `schema` with each embedded shared sub-schema replaced by a `$ref` to its key; the
 * root itself is kept when it is one (a shared schema is compiled in full once).
 */
export function withSharedRefs(schema: JsonSchema): JsonSchema {
  return replace(schema, true) as JsonSchema;
}

function replace(value: unknown, isRoot: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => replace(v, false));
  if (typeof value !== 'object' || value === null) return value;
  const key = isRoot ? undefined : SHARED_SCHEMAS.get(value);
  if (key !== undefined) return { $ref: key };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, false)]));
}
