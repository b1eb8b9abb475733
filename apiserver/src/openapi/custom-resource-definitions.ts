// Custom resources' OpenAPI definitions: each served version's openAPIV3Schema as its CRD gives
// it, with apiVersion, kind and ObjectMeta added and the GVK that lets kubectl find it (explain,
// apply and client-side validation of custom resources read these). OpenAPI v2 cannot say
// nullable, oneOf, anyOf or not, so its copy drops them, as kube-apiserver's does.
import type { CustomResourceDefinition, JSONSchemaProps } from '@skiff/api';
import { definitionNameOfCustomKind, LIST_META, OBJECT_META } from './definition-names.js';
import { typeMetaProperties } from './descriptions.js';
import { type RefStyle, refTo } from './refs.js';
import type { Definitions, OpenApiSchema } from './schema-types.js';

const v3Only = new Set(['nullable', 'oneOf', 'anyOf', 'not']);

/** A copy without the keywords `style` cannot say. */
function forStyle(schema: JSONSchemaProps, style: RefStyle): OpenApiSchema {
  return (style === 'v3' ? structuredClone(schema) : withoutV3Keywords(schema)) as OpenApiSchema;
}

function withoutV3Keywords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutV3Keywords);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !v3Only.has(key))
      .map(([key, child]) => [key, withoutV3Keywords(child)]),
  );
}

export function customResourceDefinitions(
  crds: readonly CustomResourceDefinition[],
  style: RefStyle,
): Definitions {
  const definitions: Definitions = {};
  for (const crd of crds) {
    const { group, names } = crd.spec;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const name = definitionNameOfCustomKind(group, version.name, names.kind);
      const given = version.schema?.openAPIV3Schema;
      const schema: OpenApiSchema = given ? forStyle(given, style) : { type: 'object' };
      schema.type ??= 'object';
      schema.properties = {
        ...typeMetaProperties(),
        ...schema.properties,
        metadata: { $ref: refTo(OBJECT_META, style) },
      };
      schema['x-kubernetes-group-version-kind'] = [
        { group, version: version.name, kind: names.kind },
      ];
      definitions[name] = schema;
      const listKind = names.listKind ?? `${names.kind}List`;
      definitions[definitionNameOfCustomKind(group, version.name, listKind)] = {
        type: 'object',
        description: `A list of ${names.kind} objects.`,
        properties: {
          ...typeMetaProperties(),
          items: { type: 'array', items: { $ref: refTo(name, style) } },
          metadata: { $ref: refTo(LIST_META, style) },
        },
        required: ['items'],
        'x-kubernetes-group-version-kind': [{ group, version: version.name, kind: listKind }],
      };
    }
  }
  return definitions;
}
