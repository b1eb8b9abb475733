// Kubernetes' JSON → protobuf bytes for a message type, the way gogo's generated code does it:
// a first pass validates the JSON and sizes every nested message, a second writes into one
// buffer of exactly that size (no intermediate messages, no copies of nested ones). Fields the
// message does not have are left out, as the real apiserver's protobuf output carries only
// what the Go type declares; a value of the wrong JSON type is a ProtobufCodecError.
import type protobuf from 'protobufjs';
import { ProtobufCodecError } from './codec-error.js';
import { fieldPlans, typeInfo, type FieldPlan, type TypeInfo } from './field-plan.js';

type Json = Record<string, unknown>;

/** What the sizing pass hands the writing pass, in the order both visit them. */
interface Plan {
  /** The object being encoded (never served from the cache to itself). */
  readonly root: unknown;
  /** The body size of each nested message (map entries included), pre-order. */
  readonly sizes: number[];
  /** Values prepared once: special types' raw fields, decoded `bytes`. */
  readonly prepared: unknown[];
}

/**
 * The encodings of frozen objects: the watch cache's objects are deep-frozen and never change,
 * so each is encoded once however many gets, lists and watch events carry it (as
 * kube-apiserver caches serializations of its cached objects).
 */
const frozenEncodings = new WeakMap<object, Buffer>();

/** A frozen object of a top-level kind (with ObjectMeta): the only ones worth caching. */
function isCached(info: TypeInfo, value: unknown): value is object {
  return info.topLevel && typeof value === 'object' && value !== null && Object.isFrozen(value);
}

export function encodeMessage(type: protobuf.Type, value: unknown): Buffer {
  if (isCached(typeInfo(type), value)) {
    let bytes = frozenEncodings.get(value);
    if (bytes === undefined) {
      bytes = encodeFresh(type, value);
      frozenEncodings.set(value, bytes);
    }
    return bytes;
  }
  return encodeFresh(type, value);
}

function encodeFresh(type: protobuf.Type, value: unknown): Buffer {
  const plan: Plan = { root: value, sizes: [], prepared: [] };
  const size = messageSize(type, value, '', plan);
  const out = new Writer(Buffer.allocUnsafe(size), plan);
  out.message(type, value);
  return out.buf;
}

// ---- sizing -------------------------------------------------------------------------------

function varintSize(n: number): number {
  if (n < 0) return 10;
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

const tagSize = (id: number): number => (id < 16 ? 1 : 2);

/**
 * UTF-8 length of a string. Most strings in objects are short ASCII (names, labels, images),
 * for which counting here beats a call into Buffer.byteLength.
 */
function utf8Length(value: string): number {
  if (value.length > 64) return Buffer.byteLength(value);
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) >= 0x80) return Buffer.byteLength(value);
  }
  return value.length;
}

function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtobufCodecError(`${path || 'the object'}: expected an object`);
  }
  return value as Json;
}

function messageSize(type: protobuf.Type, value: unknown, path: string, p: Plan): number {
  const info = typeInfo(type);
  if (value !== p.root && isCached(info, value)) {
    const bytes = encodeMessage(type, value);
    p.prepared.push(bytes);
    return bytes.length;
  }
  const { special, shape, byJson } = info;
  if (special) {
    const raw = special.fromJson(value, path);
    p.prepared.push(raw);
    return rawSize(type, raw);
  }
  if (shape) {
    value = shape.fromJson(value);
    p.prepared.push(value);
  }
  const json = asObject(value, path);
  let size = 0;
  if (byJson) {
    for (const key in json) {
      const plan = byJson.get(key);
      if (plan !== undefined) size += fieldSize(plan, json[key], path, p);
    }
    return size;
  }
  for (const plan of info.plans) {
    if (plan.inline && plan.message) {
      size += tagSize(plan.id) + nestedSize(plan.message, json, path, p);
    } else {
      size += fieldSize(plan, json[plan.json], path, p);
    }
  }
  return size;
}

/** The bytes a field takes, tags included (zero when absent). */
function fieldSize(plan: FieldPlan, field: unknown, path: string, p: Plan): number {
  if (field === undefined || field === null) return 0;
  let size = 0;
  const at = path ? `${path}.${plan.json}` : plan.json;
  if (plan.map) {
    const entries = asObject(field, at);
    for (const key in entries) {
      const entry = entries[key];
      if (entry === undefined || entry === null) continue;
      const index = p.sizes.length;
      p.sizes.push(0);
      const keyLength = utf8Length(key);
      const entrySize =
        1 + varintSize(keyLength) + keyLength + 1 + valueSize(plan, entry, `${at}.${key}`, p);
      p.sizes[index] = entrySize;
      size += tagSize(plan.id) + varintSize(entrySize) + entrySize;
    }
  } else if (plan.repeated) {
    if (!Array.isArray(field)) throw new ProtobufCodecError(`${at}: expected an array`);
    for (let i = 0; i < field.length; i++) {
      size += tagSize(plan.id) + valueSize(plan, field[i], `${at}[${i}]`, p);
    }
  } else {
    size += tagSize(plan.id) + valueSize(plan, field, at, p);
  }
  return size;
}

function nestedSize(type: protobuf.Type, value: unknown, path: string, p: Plan): number {
  const index = p.sizes.length;
  p.sizes.push(0);
  const size = messageSize(type, value, path, p);
  p.sizes[index] = size;
  return varintSize(size) + size;
}

/** The bytes after a field's tag: a length-prefixed message or a scalar. */
function valueSize(plan: FieldPlan, value: unknown, path: string, p: Plan): number {
  if (plan.message) return nestedSize(plan.message, value, path, p);
  return scalarSize(plan.type, value, path, p);
}

function scalarSize(type: string, value: unknown, path: string, p: Plan): number {
  switch (type) {
    case 'string':
      if (typeof value === 'string') {
        const length = utf8Length(value);
        return varintSize(length) + length;
      }
      break;
    case 'bool':
      if (typeof value === 'boolean') return 1;
      break;
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
      if (typeof value === 'number' && fits(type, value)) return varintSize(value);
      break;
    case 'bytes':
      if (typeof value === 'string') {
        const bytes = Buffer.from(value, 'base64');
        p.prepared.push(bytes);
        return varintSize(bytes.length) + bytes.length;
      }
      break;
    case 'double':
      if (typeof value === 'number') return 8;
      break;
  }
  throw new ProtobufCodecError(
    `${path}: cannot encode ${JSON.stringify(value)} as protobuf ${type}`,
  );
}

/** A special type's fields, already in protobuf form (numbers, strings, Buffers). */
function rawSize(type: protobuf.Type, raw: Json): number {
  let size = 0;
  for (const plan of fieldPlans(type)) {
    const value = raw[plan.name];
    if (value === undefined) continue;
    size += tagSize(plan.id);
    if (plan.type === 'bytes') {
      const length = (value as Uint8Array).length;
      size += varintSize(length) + length;
    } else if (plan.type === 'string') {
      const length = utf8Length(value as string);
      size += varintSize(length) + length;
    } else size += varintSize(value as number);
  }
  return size;
}

function fits(type: string, value: number): boolean {
  if (!Number.isSafeInteger(value)) return false;
  if (type === 'int32') return value >= -0x80000000 && value <= 0x7fffffff;
  if (type === 'uint32') return value >= 0 && value <= 0xffffffff;
  return type === 'int64' || value >= 0;
}

// ---- writing ------------------------------------------------------------------------------

class Writer {
  private pos = 0;
  private sizeAt = 0;
  private preparedAt = 0;

  constructor(
    readonly buf: Buffer,
    private readonly plan: Plan,
  ) {}

  private varint(n: number): void {
    const buf = this.buf;
    if (n < 0) {
      // Two's complement over 64 bits, ten bytes, as protobuf writes negative int32/int64.
      let high = Math.floor(n / 4294967296) >>> 0;
      let low = (n - Math.floor(n / 4294967296) * 4294967296) >>> 0;
      for (let i = 0; i < 9; i++) {
        buf[this.pos++] = (low & 0x7f) | 0x80;
        low = ((low >>> 7) | (high << 25)) >>> 0;
        high >>>= 7;
      }
      buf[this.pos++] = low & 0x01;
      return;
    }
    while (n >= 128) {
      buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
  }

  private tag(id: number, wireType: number): void {
    this.varint((id << 3) | wireType);
  }

  private nextSize(): number {
    return this.plan.sizes[this.sizeAt++] ?? 0;
  }

  private nextPrepared(): unknown {
    return this.plan.prepared[this.preparedAt++];
  }

  private string(value: string): void {
    const length = utf8Length(value);
    this.varint(length);
    if (length === value.length && length <= 64) {
      // ASCII (utf8Length said so): byte by byte, cheaper than a call into Buffer.write.
      const buf = this.buf;
      for (let i = 0; i < length; i++) buf[this.pos++] = value.charCodeAt(i);
      return;
    }
    this.pos += this.buf.write(value, this.pos);
  }

  private bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  message(type: protobuf.Type, value: unknown): void {
    const info = typeInfo(type);
    if (value !== this.plan.root && isCached(info, value)) {
      const bytes = this.nextPrepared() as Buffer;
      this.buf.set(bytes, this.pos);
      this.pos += bytes.length;
      return;
    }
    if (info.special) {
      this.raw(type, this.nextPrepared() as Json);
      return;
    }
    const json = (info.shape ? this.nextPrepared() : value) as Json;
    const byJson = info.byJson;
    if (byJson) {
      for (const key in json) {
        const plan = byJson.get(key);
        if (plan !== undefined) this.field(plan, json[key]);
      }
      return;
    }
    for (const plan of info.plans) {
      if (plan.inline && plan.message) {
        this.tag(plan.id, 2);
        this.nested(plan.message, json);
      } else {
        this.field(plan, json[plan.json]);
      }
    }
  }

  private field(plan: FieldPlan, field: unknown): void {
    if (field === undefined || field === null) return;
    if (plan.map) {
      const entries = field as Json;
      for (const key in entries) {
        const entry = entries[key];
        if (entry === undefined || entry === null) continue;
        this.tag(plan.id, 2);
        this.varint(this.nextSize());
        this.buf[this.pos++] = 0x0a;
        this.string(key);
        this.buf[this.pos++] = 0x12;
        this.value(plan, entry);
      }
    } else if (plan.repeated) {
      for (const item of field as unknown[]) {
        this.tag(plan.id, plan.wireType);
        this.value(plan, item);
      }
    } else {
      this.tag(plan.id, plan.wireType);
      this.value(plan, field);
    }
  }

  private nested(type: protobuf.Type, value: unknown): void {
    this.varint(this.nextSize());
    this.message(type, value);
  }

  private value(plan: FieldPlan, value: unknown): void {
    if (plan.message) this.nested(plan.message, value);
    else this.scalar(plan.type, value);
  }

  private scalar(type: string, value: unknown): void {
    if (type === 'string') this.string(value as string);
    else if (type === 'bool') this.buf[this.pos++] = value ? 1 : 0;
    else if (type === 'bytes') this.bytes(this.nextPrepared() as Uint8Array);
    else if (type === 'double') this.pos = this.buf.writeDoubleLE(value as number, this.pos);
    else this.varint(value as number);
  }

  private raw(type: protobuf.Type, raw: Json): void {
    for (const plan of fieldPlans(type)) {
      const value = raw[plan.name];
      if (value === undefined) continue;
      this.tag(plan.id, plan.wireType);
      if (plan.type === 'bytes') this.bytes(value as Uint8Array);
      else if (plan.type === 'string') this.string(value as string);
      else this.varint(value as number);
    }
  }
}
