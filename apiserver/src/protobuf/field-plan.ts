// How each field of a message maps to Kubernetes' JSON, worked out once per message type from
// the field options the definitions carry (see ./generate/from-kubectl.ts): the JSON name,
// whether the Go field is a value (so its zero means "not set") or a pointer (so a zero is
// meant), whether JSON shows it even when zero, and whether it sits inline in its parent.
import type protobuf from 'protobufjs';
import { shapedTypes, specialTypes, type ShapedType, type SpecialType } from './special-types.js';

export interface FieldPlan {
  /** The protobuf field name: the property on a protobufjs message. */
  readonly name: string;
  readonly id: number;
  /** The wire type one element is written with (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
  readonly wireType: number;
  /** The JSON property. */
  readonly json: string;
  /** The scalar type (`string`, `int64`, `bytes`, …) or the message's full name. */
  readonly type: string;
  readonly message: protobuf.Type | undefined;
  readonly repeated: boolean;
  readonly map: boolean;
  /** A Go value field: its zero is the same as absent. */
  readonly value: boolean;
  /** A value field that Go's JSON writes even when zero (no omitempty). */
  readonly alwaysShown: boolean;
  /** An embedded Go struct: its fields are the parent's in JSON. */
  readonly inline: boolean;
}

const plans = new WeakMap<protobuf.Type, readonly FieldPlan[]>();
const specials = new WeakMap<protobuf.Type, SpecialType | null>();

/**
 * The special JSON form of a type, if it has one. Cached: protobufjs computes `fullName` by
 * walking the namespace tree on every read, which showed up in every decoded field.
 */
export function specialOf(type: protobuf.Type): SpecialType | undefined {
  let special = specials.get(type);
  if (special === undefined) {
    special = specialTypes.get(type.fullName) ?? null;
    specials.set(type, special);
  }
  return special ?? undefined;
}
const byIds = new WeakMap<protobuf.Type, ReadonlyMap<number, FieldPlan>>();

/** The plans of a type by field number, for decoding. */
export function fieldPlansById(type: protobuf.Type): ReadonlyMap<number, FieldPlan> {
  let byId = byIds.get(type);
  if (byId === undefined) {
    byId = new Map(fieldPlans(type).map((p) => [p.id, p]));
    byIds.set(type, byId);
  }
  return byId;
}

const shapes = new WeakMap<protobuf.Type, ShapedType | null>();

/** The reshaping of a type's JSON, if it has one (cached like specialOf). */
export function shapeOf(type: protobuf.Type): ShapedType | undefined {
  let shape = shapes.get(type);
  if (shape === undefined) {
    shape = shapedTypes.get(type.fullName) ?? null;
    shapes.set(type, shape);
  }
  return shape ?? undefined;
}

const byJsons = new WeakMap<protobuf.Type, ReadonlyMap<string, FieldPlan> | null>();

/**
 * The plans of a type by JSON name, for encoding by walking an object's own keys (cheaper than
 * asking a sparse object for every field its type has); undefined for types with inline fields,
 * whose JSON keys belong to more than one message.
 */
export function fieldPlansByJson(type: protobuf.Type): ReadonlyMap<string, FieldPlan> | undefined {
  let byJson = byJsons.get(type);
  if (byJson === undefined) {
    const plans = fieldPlans(type);
    byJson = plans.some((p) => p.inline) ? null : new Map(plans.map((p) => [p.json, p]));
    byJsons.set(type, byJson);
  }
  return byJson ?? undefined;
}

const fixed64 = new Set(['double', 'fixed64', 'sfixed64']);
const fixed32 = new Set(['float', 'fixed32', 'sfixed32']);

function wireTypeOf(type: string, message: boolean): number {
  if (message || type === 'string' || type === 'bytes') return 2;
  if (fixed64.has(type)) return 1;
  if (fixed32.has(type)) return 5;
  return 0;
}

export function fieldPlans(type: protobuf.Type): readonly FieldPlan[] {
  let plan = plans.get(type);
  if (plan === undefined) {
    plan = type.fieldsArray.map(planOf);
    plans.set(type, plan);
  }
  return plan;
}

function planOf(field: protobuf.Field): FieldPlan {
  const options = (field.options ?? {}) as Record<string, unknown>;
  const json = options['(json)'];
  const resolved = field.resolve().resolvedType;
  const message = resolved && 'fieldsArray' in resolved ? resolved : undefined;
  return {
    name: field.name,
    id: field.id,
    wireType: field.map ? 2 : wireTypeOf(field.type, message !== undefined),
    json: typeof json === 'string' ? json : field.name,
    type: message ? message.fullName : field.type,
    message,
    repeated: field.repeated,
    map: field.map,
    value: options['(nullable)'] === false,
    alwaysShown: options['(omitempty)'] === false,
    inline: options['(inline)'] === true,
  };
}

/** Everything the codecs ask of a type, found with one lookup per message visited. */
export interface TypeInfo {
  readonly special: SpecialType | undefined;
  readonly shape: ShapedType | undefined;
  readonly plans: readonly FieldPlan[];
  readonly byId: ReadonlyMap<number, FieldPlan>;
  readonly byJson: ReadonlyMap<string, FieldPlan> | undefined;
  /** The fields JSON shows even when absent from the bytes (usually none). */
  readonly alwaysShown: readonly FieldPlan[];
  /** A top-level kind (it has ObjectMeta): the only objects whose encodings are worth caching. */
  readonly topLevel: boolean;
}

const infos = new WeakMap<protobuf.Type, TypeInfo>();

export function typeInfo(type: protobuf.Type): TypeInfo {
  let info = infos.get(type);
  if (info === undefined) {
    const plans = fieldPlans(type);
    info = {
      special: specialOf(type),
      shape: shapeOf(type),
      plans,
      byId: fieldPlansById(type),
      byJson: fieldPlansByJson(type),
      alwaysShown: plans.filter((p) => p.alwaysShown),
      topLevel: type.fields.metadata?.type.endsWith('ObjectMeta') ?? false,
    };
    infos.set(type, info);
  }
  return info;
}
