// A Kubernetes JSON object → the plain object protobufjs encodes for a message type. Fields the
// message does not have are left out (protobuf carries only what the Go type declares, as the
// real apiserver's protobuf output does); a value of the wrong JSON type is an error.
import type protobuf from 'protobufjs';
import { ProtobufCodecError } from './codec-error.js';
import { fieldPlans, type FieldPlan } from './field-plan.js';
import { specialTypes } from './special-types.js';
import { scalarFromJson } from './wire-values.js';

type Message = Record<string, unknown>;

export function messageFromJson(type: protobuf.Type, value: unknown, path: string): Message {
  const special = specialTypes.get(type.fullName);
  if (special) return special.fromJson(value, path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtobufCodecError(`${path || 'the object'}: expected an object`);
  }
  const json = value as Message;
  const out: Message = {};
  for (const plan of fieldPlans(type)) {
    if (plan.inline && plan.message) {
      out[plan.name] = messageFromJson(plan.message, json, path);
      continue;
    }
    const field = json[plan.json];
    if (field === undefined || field === null) continue;
    const at = path ? `${path}.${plan.json}` : plan.json;
    if (plan.map) {
      if (typeof field !== 'object' || Array.isArray(field)) {
        throw new ProtobufCodecError(`${at}: expected an object`);
      }
      const entries = Object.entries(field as Message).filter(([, v]) => v !== null);
      out[plan.name] = Object.fromEntries(
        entries.map(([k, v]) => [k, elementFromJson(plan, v, `${at}.${k}`)]),
      );
    } else if (plan.repeated) {
      if (!Array.isArray(field)) throw new ProtobufCodecError(`${at}: expected an array`);
      out[plan.name] = field.map((v, i) => elementFromJson(plan, v, `${at}[${i}]`));
    } else {
      out[plan.name] = elementFromJson(plan, field, at);
    }
  }
  return out;
}

function elementFromJson(plan: FieldPlan, value: unknown, path: string): unknown {
  return plan.message
    ? messageFromJson(plan.message, value, path)
    : scalarFromJson(plan.type, value, path);
}
