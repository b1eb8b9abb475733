// A decoded protobuf message → the JSON object Kubernetes' Go types would marshal for it.
//
// The one subtlety is presence. Go clients write every value field (a plain `string`,
// `int32`, struct) whether set or not, and only non-nil pointers; Go's JSON then drops the zero
// value fields that say omitempty. So a zero in a value field is dropped here too (unless JSON
// always shows that field), while a zero in a pointer field (`replicas: 0`, `runAsUser: 0`,
// `emptyDir: {}`) is kept: it was set on purpose. A struct held by value is shown even when
// empty (`status: {}`), as Go's JSON shows it, except the types whose zero JSON shows as
// nothing (a zero Time, IntOrString or Quantity).
import type protobuf from 'protobufjs';
import { fieldPlans, type FieldPlan } from './field-plan.js';
import { specialTypes } from './special-types.js';
import { isZeroScalar, scalarToJson } from './wire-values.js';

type Message = Record<string, unknown>;

export function messageToJson(type: protobuf.Type, message: Message): unknown {
  const special = specialTypes.get(type.fullName);
  if (special) return special.toJson(message);
  const out: Message = {};
  for (const plan of fieldPlans(type)) {
    if (!Object.hasOwn(message, plan.name)) {
      continue;
    }
    const value = message[plan.name];
    if (plan.map) {
      const entries = Object.entries(value as Message);
      if (entries.length > 0) {
        out[plan.json] = Object.fromEntries(entries.map(([k, v]) => [k, elementToJson(plan, v)]));
      }
    } else if (plan.repeated) {
      const items = value as unknown[];
      if (items.length > 0) out[plan.json] = items.map((v) => elementToJson(plan, v));
    } else if (plan.message) {
      singleMessage(out, plan, plan.message, value as Message);
    } else if (!plan.value || plan.alwaysShown || !isZeroScalar(plan.type, value)) {
      out[plan.json] = scalarToJson(plan.type, value);
    }
  }
  for (const plan of fieldPlans(type)) {
    // Value fields JSON always shows are there even when a client left them out.
    if (plan.alwaysShown && !(plan.json in out)) out[plan.json] = zeroOf(plan.type);
  }
  return out;
}

function singleMessage(out: Message, plan: FieldPlan, type: protobuf.Type, value: Message): void {
  const special = specialTypes.get(type.fullName);
  if (plan.value && special?.isZero(value)) return;
  const json = messageToJson(type, value);
  if (json === undefined) return;
  if (plan.inline) {
    Object.assign(out, json);
    return;
  }
  out[plan.json] = json;
}

function elementToJson(plan: FieldPlan, value: unknown): unknown {
  return plan.message
    ? messageToJson(plan.message, value as Message)
    : scalarToJson(plan.type, value);
}

function zeroOf(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}
