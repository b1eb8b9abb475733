// The OpenAPI definitions of the built-in kinds, generated from what skiff already knows about
// them rather than written a second time:
//   - structure (every field, its type, Kubernetes' type names) from the protobuf messages the
//     apiserver speaks (../protobuf/definitions: the k8s.io/api structs, field by field);
//   - which fields are required from skiff's own validation schemas (@skiff/api schemaFor);
//   - list and patch semantics (x-kubernetes-patch-merge-key, -patch-strategy, -list-type,
//     -list-map-keys) from the strategic-merge-patch table the PATCH handler uses;
//   - descriptions from ./descriptions.ts (skiff's own words).
// The CRD kind, which protobuf does not carry here, comes from its validation schema alone
// (./json-schema-to-openapi.ts).
import type protobuf from 'protobufjs';
import {
  builtinKinds,
  schemaFor,
  subresourceBodyKinds,
  type GroupVersionKind,
  type JsonSchema,
} from '@skiff/api';
import { fieldMeta, patchMetaForKind, type StructPatchMeta } from '../patch/patch-meta.js';
import { fieldPlans, type FieldPlan } from '../protobuf/field-plan.js';
import { messageType, META, typeForKind } from '../protobuf/schema.js';
import { CRD_DEFINITION, definitionNameOfMessage } from './definition-names.js';
import { describeField, describeType, typeMetaProperties } from './descriptions.js';
import { jsonSchemaToOpenApi } from './json-schema-to-openapi.js';
import { type RefStyle, refTo } from './refs.js';
import type { Definitions, OpenApiSchema } from './schema-types.js';

/**
 * Types whose JSON is a string or a free object, not their protobuf message's fields. OpenAPI v3
 * says "integer or string" (and "string or number" for quantities) with oneOf and no type —
 * which is also why `kubectl explain` prints `<IntOrString>` for them; Swagger 2.0 cannot, so
 * v2 calls them strings, as Kubernetes' v2 document does.
 */
function specialSchemas(style: RefStyle): Readonly<Record<string, OpenApiSchema>> {
  const v3 = style === 'v3';
  return {
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
    'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
      ...(v3 ? { oneOf: [{ type: 'integer' }, { type: 'string' }] } : { type: 'string' }),
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': v3
      ? { oneOf: [{ type: 'string' }, { type: 'number' }] }
      : { type: 'string' },
    'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
    'io.k8s.apimachinery.pkg.runtime.RawExtension': {
      type: 'object',
      'x-kubernetes-embedded-resource': false,
      'x-kubernetes-preserve-unknown-fields': true,
    },
  };
}

const scalarSchemas: Readonly<Record<string, OpenApiSchema>> = {
  string: { type: 'string' },
  bytes: { type: 'string', format: 'byte' },
  bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  uint32: { type: 'integer', format: 'int32' },
  uint64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'double' },
};

class DefinitionBuilder {
  readonly definitions: Definitions = {};
  private readonly specials: Readonly<Record<string, OpenApiSchema>>;

  constructor(private readonly style: RefStyle) {
    this.specials = specialSchemas(style);
  }

  /** Defines a message (once) and returns its definition name. */
  message(
    type: protobuf.Type,
    ajv: JsonSchema | undefined,
    patch: StructPatchMeta | undefined,
  ): string {
    const name = definitionNameOfMessage(type.fullName);
    if (Object.hasOwn(this.definitions, name)) return name;
    const special = this.specials[name];
    if (special) {
      this.definitions[name] = withDescription({ ...special }, describeType(name));
      return name;
    }
    const schema: OpenApiSchema = { type: 'object' };
    // Set before the fields so a type that contains itself refers back instead of recursing.
    this.definitions[name] = schema;
    const properties: Record<string, OpenApiSchema> = {};
    this.addFields(name, type, ajv, patch, properties);
    schema.properties = properties;
    const required = (ajv?.required ?? []).filter((field) => Object.hasOwn(properties, field));
    if (required.length > 0) schema.required = required;
    withDescription(schema, describeType(name));
    return name;
  }

  private addFields(
    owner: string,
    type: protobuf.Type,
    ajv: JsonSchema | undefined,
    patch: StructPatchMeta | undefined,
    into: Record<string, OpenApiSchema>,
  ): void {
    for (const plan of fieldPlans(type)) {
      // An embedded Go struct (Probe's ProbeHandler): its fields are the parent's in JSON.
      if (plan.inline && plan.message) {
        this.addFields(owner, plan.message, ajv, patch, into);
        continue;
      }
      into[plan.json] = this.field(owner, plan, ajv?.properties?.[plan.json], patch);
    }
  }

  private field(
    owner: string,
    plan: FieldPlan,
    ajv: JsonSchema | undefined,
    struct: StructPatchMeta | undefined,
  ): OpenApiSchema {
    const meta = fieldMeta(struct, plan.json);
    const description = describeField(owner, plan.json);
    if (plan.map) {
      const values = this.element(plan, schemaOf(ajv?.additionalProperties), meta.fields);
      return withDescription({ type: 'object', additionalProperties: values }, description);
    }
    if (plan.repeated && plan.type !== 'bytes') {
      const items = this.element(plan, ajv?.items, meta.fields);
      const list: OpenApiSchema = { type: 'array', items };
      const strategy = [
        ...(meta.strategy === 'merge' ? ['merge'] : []),
        ...(meta.retainKeys ? ['retainKeys'] : []),
      ].join(',');
      if (meta.mergeKey !== undefined) {
        list['x-kubernetes-list-type'] = 'map';
        list['x-kubernetes-list-map-keys'] = [meta.mergeKey];
        list['x-kubernetes-patch-merge-key'] = meta.mergeKey;
      } else {
        list['x-kubernetes-list-type'] = meta.strategy === 'merge' ? 'set' : 'atomic';
      }
      if (strategy !== '') list['x-kubernetes-patch-strategy'] = strategy;
      return withDescription(list, description);
    }
    const single = this.element(plan, ajv, meta.fields);
    const extensions: OpenApiSchema = {};
    if (meta.retainKeys) extensions['x-kubernetes-patch-strategy'] = 'retainKeys';
    if (single.$ref === undefined)
      return withDescription({ ...single, ...extensions }, description);
    return this.reference(single.$ref, description, extensions);
  }

  /** One value of a field: a scalar's schema, or a reference to its message's definition. */
  private element(
    plan: FieldPlan,
    ajv: JsonSchema | undefined,
    patch: StructPatchMeta | undefined,
  ): OpenApiSchema {
    if (!plan.message) return { ...(scalarSchemas[plan.type] ?? {}) };
    return { $ref: refTo(this.message(plan.message, ajv, patch), this.style) };
  }

  /** A reference with a description of its own: v3 wraps it in allOf, v2 writes it beside. */
  private reference(
    ref: string,
    description: string | undefined,
    extra: OpenApiSchema,
  ): OpenApiSchema {
    if (description === undefined && Object.keys(extra).length === 0) return { $ref: ref };
    if (this.style === 'v2') return withDescription({ $ref: ref, ...extra }, description);
    return withDescription({ allOf: [{ $ref: ref }], ...extra }, description);
  }

  /** A top-level kind: its message, apiVersion and kind, and the GVK that finds it. */
  kind(gvk: GroupVersionKind, apiVersion: string): string | undefined {
    const type = typeForKind(apiVersion, gvk.kind);
    if (!type) return undefined;
    const listed = gvk.kind.endsWith('List');
    const itemKind = listed ? gvk.kind.slice(0, -'List'.length) : gvk.kind;
    const ajv = schemaFor(apiVersion, itemKind);
    const patch = patchMetaForKind(apiVersion, itemKind);
    if (listed) {
      // Defines the item type first, so it is named and described from its own kind's view.
      this.kind({ ...gvk, kind: itemKind }, apiVersion);
    }
    const name = listed
      ? this.message(
          type,
          { properties: { items: { type: 'array', items: ajv ?? {} } } },
          { items: { fields: patch } },
        )
      : this.message(type, ajv, patch);
    this.markKind(name, gvk);
    return name;
  }

  /** The CRD kind, from its validation schema (protobuf does not carry apiextensions here). */
  customResourceDefinition(): void {
    const ajv = schemaFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    if (!ajv) return;
    const gvk = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
    const objectMeta = this.message(
      messageType(`${META}.ObjectMeta`),
      schemaFor('v1', 'Pod')?.properties?.metadata,
      undefined,
    );
    const converted = jsonSchemaToOpenApi(ajv, {
      style: this.style,
      namePrefix: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.',
      definitions: this.definitions,
    });
    converted.properties = {
      ...converted.properties,
      ...typeMetaProperties(),
      metadata: this.reference(
        refTo(objectMeta, this.style),
        describeField(CRD_DEFINITION, 'metadata'),
        {},
      ),
    };
    this.definitions[CRD_DEFINITION] = withDescription(converted, describeType(CRD_DEFINITION));
    this.markKind(CRD_DEFINITION, gvk);
    this.listOf(CRD_DEFINITION, { ...gvk, kind: `${gvk.kind}List` });
  }

  /** `<Kind>List`: apiVersion, kind, ListMeta and the items. */
  listOf(itemDefinition: string, gvk: GroupVersionKind): string {
    const listMeta = this.message(messageType(`${META}.ListMeta`), undefined, undefined);
    const name = `${itemDefinition}List`;
    this.definitions[name] = {
      type: 'object',
      description: `A list of ${gvk.kind.slice(0, -'List'.length)} objects.`,
      properties: {
        ...typeMetaProperties(),
        items: { type: 'array', items: { $ref: refTo(itemDefinition, this.style) } },
        metadata: { $ref: refTo(listMeta, this.style) },
      },
      required: ['items'],
    };
    this.markKind(name, gvk);
    return name;
  }

  markKind(name: string, gvk: GroupVersionKind): void {
    const schema = this.definitions[name];
    if (!schema) return;
    const gvks = schema['x-kubernetes-group-version-kind'] ?? [];
    if (
      !gvks.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)
    ) {
      schema['x-kubernetes-group-version-kind'] = [
        ...gvks,
        { group: gvk.group, version: gvk.version, kind: gvk.kind },
      ];
    }
    if (schema.properties && !schema.properties.kind) {
      schema.properties = { ...typeMetaProperties(), ...schema.properties };
    }
  }
}

function schemaOf(value: JsonSchema | boolean | undefined): JsonSchema | undefined {
  return typeof value === 'object' ? value : undefined;
}

function withDescription(schema: OpenApiSchema, description: string | undefined): OpenApiSchema {
  if (description !== undefined) schema.description = description;
  return schema;
}

const cache = new Map<RefStyle, Definitions>();

/**
 * Every built-in kind's definition and everything it refers to, for one reference style. Built
 * once per style: the built-in kinds do not change while the server runs.
 */
export function builtinDefinitions(style: RefStyle): Definitions {
  const cached = cache.get(style);
  if (cached) return cached;
  const builder = new DefinitionBuilder(style);
  for (const k of [...builtinKinds, ...subresourceBodyKinds]) {
    if (k.group === 'apiextensions.k8s.io') continue;
    builder.kind(k, k.apiVersion);
  }
  for (const k of builtinKinds) {
    if (k.group === 'apiextensions.k8s.io') continue;
    builder.kind({ group: k.group, version: k.version, kind: k.listKind }, k.apiVersion);
  }
  builder.customResourceDefinition();
  cache.set(style, builder.definitions);
  return builder.definitions;
}
