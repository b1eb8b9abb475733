// Protobuf bytes → the JSON object Kubernetes' Go types would marshal for them, in one pass
// over the bytes (no intermediate protobufjs messages: decoding a create's body this way costs
// about what JSON.parse does).
//
// The one subtlety is presence. Go clients write every value field (a plain `string`, `int32`,
// struct) whether set or not, and only non-nil pointers; Go's JSON then drops the zero value
// fields that say omitempty. So a zero in a value field is dropped here too (unless JSON always
// shows that field), while a zero in a pointer field (`replicas: 0`, `runAsUser: 0`,
// `emptyDir: {}`) is kept: it was set on purpose. A struct held by value is shown even when
// empty (`status: {}`), as Go's JSON shows it, except the types whose zero JSON shows as nothing
// (a zero Time, IntOrString or Quantity).
import type protobuf from 'protobufjs';
import { ProtobufCodecError } from './codec-error.js';
import { typeInfo, type FieldPlan } from './field-plan.js';
import { WireReader } from './wire-reader.js';

type Json = Record<string, unknown>;

/** Decodes the message `type` from `bytes` into Kubernetes' JSON. */
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): unknown {
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return readMessage(type, new WireReader(buf, 0, buf.length), buf.length);
}

function readMessage(type: protobuf.Type, r: WireReader, end: number): unknown {
  const info = typeInfo(type);
  if (info.special) return info.special.toJson(readRaw(type, r, end));
  const plans = info.byId;
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const plan = plans.get(tag >>> 3);
    const wireType = tag & 7;
    if (plan === undefined) {
      r.skip(wireType);
      continue;
    }
    if (plan.map) {
      checkWireType(plan, wireType, 2);
      const entries = (out[plan.json] ??= {}) as Json;
      readMapEntry(plan, r, entries);
    } else if (plan.repeated) {
      const items = (out[plan.json] ??= []) as unknown[];
      if (wireType === 2 && plan.wireType !== 2) {
        // A packed run of numbers.
        const packedEnd = r.delimitedEnd();
        while (r.pos < packedEnd) items.push(readValue(plan, r));
      } else {
        checkWireType(plan, wireType, plan.wireType);
        items.push(readValue(plan, r));
      }
    } else if (plan.message) {
      checkWireType(plan, wireType, 2);
      setMessage(out, plan, plan.message, r);
    } else {
      checkWireType(plan, wireType, plan.wireType);
      const value = readScalar(plan.type, r);
      if (!plan.value || plan.alwaysShown || !isZero(value)) out[plan.json] = value;
    }
  }
  for (const plan of info.alwaysShown) {
    if (!(plan.json in out)) out[plan.json] = zeroOf(plan.type);
  }
  return info.shape ? info.shape.toJson(out) : out;
}

function setMessage(out: Json, plan: FieldPlan, type: protobuf.Type, r: WireReader): void {
  const end = r.delimitedEnd();
  const special = typeInfo(type).special;
  if (special) {
    const raw = readRaw(type, r, end);
    const json = plan.value && special.isZero(raw) ? undefined : special.toJson(raw);
    if (json !== undefined) out[plan.json] = json;
    return;
  }
  const json = readMessage(type, r, end) as Json;
  if (plan.inline) Object.assign(out, json);
  else out[plan.json] = json;
}

function readValue(plan: FieldPlan, r: WireReader): unknown {
  if (!plan.message) return readScalar(plan.type, r);
  const end = r.delimitedEnd();
  return readMessage(plan.message, r, end);
}

function readMapEntry(plan: FieldPlan, r: WireReader, entries: Json): void {
  const end = r.delimitedEnd();
  let key = '';
  let value: unknown;
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    if (id === 1 && (tag & 7) === 2) key = r.string();
    else if (id === 2) {
      checkWireType(plan, tag & 7, 2); // map values are strings, bytes or messages
      value = readValue(plan, r);
    } else r.skip(tag & 7);
  }
  entries[key] = value ?? (plan.message ? readMessage(plan.message, r, r.pos) : zeroOf(plan.type));
}

function readRaw(type: protobuf.Type, r: WireReader, end: number): Json {
  const plans = typeInfo(type).byId;
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const plan = plans.get(tag >>> 3);
    if (plan === undefined || plan.message || plan.repeated) {
      r.skip(tag & 7);
      continue;
    }
    checkWireType(plan, tag & 7, plan.wireType);
    out[plan.name] = plan.type === 'bytes' ? r.bytes() : readScalar(plan.type, r);
  }
  return out;
}

function readScalar(type: string, r: WireReader): unknown {
  switch (type) {
    case 'string':
      return r.string();
    case 'bool':
      return r.uint32() !== 0;
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'int64':
    case 'uint64':
      return r.int64();
    case 'bytes':
      return r.bytes().toString('base64');
    case 'double':
      return r.double();
    case 'float':
      return r.float();
    default:
      throw new ProtobufCodecError(`unsupported scalar type ${type}`);
  }
}

function checkWireType(plan: FieldPlan, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new ProtobufCodecError(
      `field ${plan.json} (${plan.id}) has wire type ${actual}, expected ${expected}`,
    );
  }
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function zeroOf(type: string): unknown {
  if (type === 'string' || type === 'bytes') return '';
  if (type === 'bool') return false;
  return 0;
}
