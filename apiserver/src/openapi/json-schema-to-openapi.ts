// skiff's validation schemas (ajv JSON Schema) as OpenAPI schemas, for the kind protobuf does
// not describe here (CustomResourceDefinition). The vocabulary is almost the same; the
// differences are type unions, which OpenAPI cannot say (int-or-string gets Kubernetes'
// extension, anything else is left untyped), and `$defs`, which become named definitions.
import type { JsonSchema } from '@skiff/api';
import { type RefStyle, refTo } from './refs.js';
import type { Definitions, OpenApiSchema } from './schema-types.js';

export interface ConversionContext {
  readonly style: RefStyle;
  /** Prefix of the definition names `$defs` entries get (`io.k8s.…apiextensions.v1.`). */
  readonly namePrefix: string;
  readonly definitions: Definitions;
}

// Kubernetes' names for the recursive parts of a CRD schema.
const defNames: Readonly<Record<string, string>> = {
  jsonSchemaProps: 'JSONSchemaProps',
};

export function jsonSchemaToOpenApi(schema: JsonSchema, ctx: ConversionContext): OpenApiSchema {
  return convert(schema, schema, ctx);
}

function convert(schema: JsonSchema, root: JsonSchema, ctx: ConversionContext): OpenApiSchema {
  if (schema.$ref !== undefined) {
    const ref = referenced(schema.$ref, root, ctx);
    if (ref) return { $ref: ref };
  }
  const out: OpenApiSchema = {};
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 1) out.type = types[0];
  else if (types.includes('integer') && types.includes('string')) {
    out.type = 'string';
    out.format = 'int-or-string';
    out['x-kubernetes-int-or-string'] = true;
  } else if (types.length === 2 && types.includes('string') && types.includes('number')) {
    out.type = 'string';
  }
  if (schema.format !== undefined) out.format = schema.format;
  if (schema.description !== undefined) out.description = schema.description;
  if (schema.minimum !== undefined && schema.minimum > -2147483648) out.minimum = schema.minimum;
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, convert(v, root, ctx)]),
    );
  }
  if (schema.required && schema.required.length > 0) out.required = [...schema.required];
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = convert(schema.additionalProperties, root, ctx);
  }
  if (schema.items) out.items = convert(schema.items, root, ctx);
  // An empty schema is "any value" (a default, an example): Kubernetes marks such fields so
  // that clients keep whatever they hold.
  if (Object.keys(schema).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

/** A `$ref` into `$defs` that has a Kubernetes name becomes a named definition. */
function referenced(ref: string, root: JsonSchema, ctx: ConversionContext): string | undefined {
  const key = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
  const name = key === undefined ? undefined : defNames[key];
  const target = key === undefined ? undefined : root.$defs?.[key];
  if (name === undefined || target === undefined) return undefined;
  const full = ctx.namePrefix + name;
  if (!Object.hasOwn(ctx.definitions, full)) {
    ctx.definitions[full] = {};
    ctx.definitions[full] = convert(target, root, ctx);
  }
  return refTo(full, ctx.style);
}
