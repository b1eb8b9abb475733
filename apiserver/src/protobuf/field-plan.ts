// How each field of a message maps to Kubernetes' JSON, worked out once per message type from
// the field options the definitions carry (see ./generate/from-kubectl.ts): the JSON name,
// whether the Go field is a value (so its zero means "not set") or a pointer (so a zero is
// meant), whether JSON shows it even when zero, and whether it sits inline in its parent.
import type protobuf from 'protobufjs';

export interface FieldPlan {
  /** The protobuf field name: the property on a protobufjs message. */
  readonly name: string;
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
  const message = resolved && 'fieldsArray' in resolved ? (resolved as protobuf.Type) : undefined;
  return {
    name: field.name,
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
