// The apimachinery types whose JSON is not their protobuf shape: they marshal themselves in Go
// (custom MarshalJSON), so the generic field-by-field mapping does not apply to them.
//   Time       {seconds, nanos}        ⇄ "2006-01-02T15:04:05Z" (JSON keeps whole seconds)
//   MicroTime  {seconds, nanos}        ⇄ "2006-01-02T15:04:05.000000Z"
//   IntOrString {type, intVal, strVal} ⇄ a number or a string
//   Quantity   {string}                ⇄ "100m"
//   FieldsV1   {Raw}, RawExtension {raw} ⇄ the JSON document the bytes hold
import { ProtobufCodecError } from './codec-error.js';

export interface SpecialType {
  toJson(message: Record<string, unknown>): unknown;
  fromJson(value: unknown, path: string): Record<string, unknown>;
  /** Go's zero value (what a value field holds when nothing was set). */
  isZero(message: Record<string, unknown>): boolean;
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * Parsed timestamps by their text: the same few times (creation, conditions, managedFields)
 * recur across every object of a list. Bounded: cleared when it grows past a few thousand.
 */
const parsedTimes = new Map<string, Record<string, unknown>>();

function timestampFromJson(value: unknown, path: string): Record<string, unknown> {
  if (typeof value === 'string') {
    const cached = parsedTimes.get(value);
    if (cached) return cached;
  }
  const parsed = parseTimestamp(value, path);
  if (parsedTimes.size >= 4096) parsedTimes.clear();
  parsedTimes.set(value as string, parsed);
  return parsed;
}

function parseTimestamp(value: unknown, path: string): Record<string, unknown> {
  const match = typeof value === 'string' ? RFC3339.exec(value) : null;
  const millis = match ? Date.parse(`${match[1] ?? ''}${match[3] ?? ''}`) : NaN;
  if (!match || Number.isNaN(millis)) {
    throw new ProtobufCodecError(`${path}: ${JSON.stringify(value)} is not an RFC 3339 time`);
  }
  const nanos = Number((match[2] ?? '').padEnd(9, '0'));
  return nanos === 0 ? { seconds: millis / 1000 } : { seconds: millis / 1000, nanos };
}

function isEmptyTimestamp(message: Record<string, unknown>): boolean {
  // Go writes a zero Time as an empty message; an explicit 0 is the Unix epoch, a real time.
  return !Object.hasOwn(message, 'seconds') && !Object.hasOwn(message, 'nanos');
}

function formatTimestamp(message: Record<string, unknown>, fractionDigits: number): unknown {
  if (isEmptyTimestamp(message)) return undefined;
  const seconds = Number(message.seconds ?? 0);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${iso}Z`;
  const nanos = Number(message.nanos ?? 0);
  const fraction = String(Math.floor(nanos / 10 ** (9 - fractionDigits))).padStart(
    fractionDigits,
    '0',
  );
  return `${iso}.${fraction}Z`;
}

function rawJson(field: string): SpecialType {
  return {
    toJson(message) {
      const raw = message[field] as Uint8Array | undefined;
      if (!raw || raw.length === 0) return undefined;
      try {
        return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        throw new ProtobufCodecError(`embedded JSON in ${field} is malformed: ${err.message}`);
      }
    },
    fromJson(value) {
      return { [field]: Buffer.from(JSON.stringify(value)) };
    },
    isZero(message) {
      return ((message[field] as Uint8Array | undefined)?.length ?? 0) === 0;
    },
  };
}

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXTENSIONS = '.k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

export const specialTypes: ReadonlyMap<string, SpecialType> = new Map<string, SpecialType>([
  [
    `${META}.Time`,
    {
      toJson: (m) => formatTimestamp(m, 0),
      fromJson: timestampFromJson,
      isZero: isEmptyTimestamp,
    },
  ],
  [
    `${META}.MicroTime`,
    {
      toJson: (m) => formatTimestamp(m, 6),
      fromJson: timestampFromJson,
      isZero: isEmptyTimestamp,
    },
  ],
  [
    '.k8s.io.apimachinery.pkg.util.intstr.IntOrString',
    {
      toJson: (m) => (Number(m.type ?? 0) === 1 ? (m.strVal ?? '') : (m.intVal ?? 0)),
      fromJson(value, path) {
        if (typeof value === 'string') return { type: 1, strVal: value };
        if (typeof value === 'number' && Number.isInteger(value)) return { type: 0, intVal: value };
        throw new ProtobufCodecError(`${path}: ${JSON.stringify(value)} is not an int or a string`);
      },
      isZero: (m) => Number(m.type ?? 0) === 0 && !m.intVal && !m.strVal,
    },
  ],
  [
    '.k8s.io.apimachinery.pkg.api.resource.Quantity',
    {
      toJson: (m) => m.string ?? '',
      fromJson(value, path) {
        if (typeof value === 'string') return { string: value };
        if (typeof value === 'number') return { string: String(value) };
        throw new ProtobufCodecError(`${path}: ${JSON.stringify(value)} is not a quantity`);
      },
      isZero: (m) => !m.string,
    },
  ],
  [`${META}.FieldsV1`, rawJson('Raw')],
  ['.k8s.io.apimachinery.pkg.runtime.RawExtension', rawJson('raw')],
  [`${APIEXTENSIONS}.JSON`, rawJson('raw')],
]);

/**
 * Types whose JSON is one of their fields, chosen by what the value is (apiextensions'
 * JSONSchemaPropsOr…): decoded field by field like any message, then reshaped; reshaped before
 * encoding. The fields are named as their JSON names are.
 */
export interface ShapedType {
  toJson(message: Record<string, unknown>): unknown;
  fromJson(value: unknown): Record<string, unknown>;
}

export const shapedTypes: ReadonlyMap<string, ShapedType> = new Map<string, ShapedType>([
  [
    `${APIEXTENSIONS}.JSONSchemaPropsOrArray`,
    {
      toJson: (m) => m.schema ?? m.jSONSchemas ?? [],
      fromJson: (v) => (Array.isArray(v) ? { jSONSchemas: v } : { schema: v }),
    },
  ],
  [
    `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    {
      toJson: (m) => m.schema ?? m.allows ?? false,
      fromJson: (v) => (typeof v === 'boolean' ? { allows: v } : { allows: true, schema: v }),
    },
  ],
  [
    `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`,
    {
      toJson: (m) => m.schema ?? m.property ?? [],
      fromJson: (v) => (Array.isArray(v) ? { property: v } : { schema: v }),
    },
  ],
]);
