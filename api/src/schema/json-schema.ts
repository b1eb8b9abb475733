// The small JSON Schema vocabulary our kind schemas are written in, and builders that keep the
// schema files close to the Go struct definitions they mirror. Objects allow properties they do
// not list: like Kubernetes' apiserver, we ignore unknown fields rather than reject them.

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

// A type alias (not an interface) so ajv's index-signature SchemaObject accepts it.
export type JsonSchema = {
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  /** A schema here makes the object a map (`labels`); its keys print as `labels[key]`. */
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  /** `date-time` (RFC 3339) and `byte` (base64) are registered with ajv in validate.ts. */
  format?: 'date-time' | 'byte';
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  description?: string;
};

export const str: JsonSchema = { type: 'string' };
export const bool: JsonSchema = { type: 'boolean' };
export const num: JsonSchema = { type: 'number' };

/** Go's int32: out-of-range numbers cannot even be decoded in Kubernetes. */
export const int32: JsonSchema = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };

/** Go's int64. JavaScript numbers lose precision past 2^53; no real field gets there. */
export const int64: JsonSchema = { type: 'integer' };

/** A port number or a port name; a count or a percentage (`"25%"`). */
export const intOrString: JsonSchema = { type: ['integer', 'string'] };

/** Canonically a string (`"500m"`), but manifests often say `cpu: 1`, which Kubernetes accepts. */
export const quantity: JsonSchema = { type: ['string', 'number'] };

export const time: JsonSchema = { type: 'string', format: 'date-time' };

/** Base64 on the wire (Secret data, ConfigMap binaryData, caBundle). */
export const bytes: JsonSchema = { type: 'string', format: 'byte' };

/** Any JSON value at all (a default, an example, a raw extension). */
export const anyValue: JsonSchema = {};

export function obj(properties: Record<string, JsonSchema>, required?: string[]): JsonSchema {
  return required ? { type: 'object', properties, required } : { type: 'object', properties };
}

export function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

export function mapOf(values: JsonSchema): JsonSchema {
  return { type: 'object', additionalProperties: values };
}

export const strings: JsonSchema = arrayOf(str);
export const stringMap: JsonSchema = mapOf(str);
export const resourceList: JsonSchema = mapOf(quantity);
