// A CRD's structural schema (OpenAPI v3, JSONSchemaProps) as a JSON Schema ajv compiles. Only
// the value validations cross over: `default` is applied by ./defaults.ts and unknown fields are
// removed by ./prune.ts before validation, and descriptions and most x-kubernetes-* extensions
// mean nothing to a validator. The three extensions that do change what is valid are spelled
// out here: int-or-string (an integer or a string), embedded-resource (apiVersion and kind
// required) and nullable (null allowed, and then nothing else checked).
import type { JSONSchemaProps } from '@skiff/api';
import { isSupportedFormat } from './formats.js';

export type AjvSchema = Record<string, unknown>;

/** Keywords copied as they are: same name and meaning in OpenAPI v3 and JSON Schema. */
const copied = [
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'minProperties',
  'maxProperties',
  'required',
] as const;

export function toAjvSchema(schema: JSONSchemaProps): AjvSchema {
  const out = convert(schema);
  // metadata is ObjectMeta whatever a CRD says (the apiserver validates it as such), and
  // apiVersion/kind are checked against the URL before the schema is consulted.
  const properties = { ...(out.properties as Record<string, AjvSchema> | undefined) };
  properties.metadata = { type: 'object' };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  return { ...out, properties };
}

function convert(s: JSONSchemaProps): AjvSchema {
  const out: AjvSchema = {};
  if (s['x-kubernetes-int-or-string'] === true) out.type = ['integer', 'string'];
  else if (s.type) out.type = s.type;
  for (const keyword of copied) {
    if (s[keyword] !== undefined) out[keyword] = s[keyword];
  }
  // OpenAPI v3.0 writes exclusive bounds as booleans beside minimum/maximum; JSON Schema
  // (draft 7, what ajv speaks) as numbers of their own.
  if (s.minimum !== undefined) {
    out[s.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  }
  if (s.maximum !== undefined) {
    out[s.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  }
  if (s.format && isSupportedFormat(s.format)) out.format = s.format;
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([name, prop]) => [name, convert(prop)]),
    );
  }
  if (typeof s.additionalProperties === 'object') {
    out.additionalProperties = convert(s.additionalProperties);
  }
  if (s.items && !Array.isArray(s.items)) out.items = convert(s.items);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[keyword];
    if (list) out[keyword] = list.map(convert);
  }
  if (s.not) out.not = convert(s.not);
  if (s['x-kubernetes-embedded-resource'] === true) {
    out.properties = {
      ...(out.properties as Record<string, AjvSchema> | undefined),
      apiVersion: { type: 'string', minLength: 1 },
      kind: { type: 'string', minLength: 1 },
      metadata: { type: 'object' },
    };
    out.required = [
      ...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind']),
    ];
  }
  if (s.nullable === true) return { if: { type: 'null' }, else: out };
  return out;
}
