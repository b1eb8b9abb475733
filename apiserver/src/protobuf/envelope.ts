// Kubernetes' protobuf wire form of an object: the 4 magic bytes `k8s\0`, then a
// runtime.Unknown whose typeMeta names the apiVersion and kind and whose raw holds the object's
// own message (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). runtime.Unknown is
// read and written by hand: its raw must stay bytes, not become JSON.
import protobuf from 'protobufjs';
import { ProtobufCodecError } from './codec-error.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { typeForKind } from './schema.js';
import { WireReader } from './wire-reader.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

export interface DecodedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object as Kubernetes' JSON, apiVersion and kind first. */
  readonly object: Record<string, unknown>;
}

/** Decodes an enveloped object; every way the bytes can be wrong is a ProtobufCodecError. */
export function decodeEnveloped(bytes: Uint8Array): DecodedObject {
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.equals(buf.subarray(0, 4))) {
    throw new ProtobufCodecError(
      'the body does not begin with the Kubernetes protobuf prefix "k8s\\x00"',
    );
  }
  if (buf.length === PROTOBUF_MAGIC.length) {
    throw new ProtobufCodecError('the protobuf body is empty after its prefix');
  }
  const unknown = readUnknown(buf.subarray(4));
  const { apiVersion, kind } = unknown;
  if (kind === '')
    throw new ProtobufCodecError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') {
    throw new ProtobufCodecError("Object 'apiVersion' is missing in the protobuf envelope");
  }
  if (unknown.contentEncoding !== '') {
    throw new ProtobufCodecError(`unsupported content encoding "${unknown.contentEncoding}"`);
  }
  const type = typeForKind(apiVersion, kind);
  if (!type) {
    throw new ProtobufCodecError(
      `no kind "${kind}" is registered for version "${apiVersion}" in protobuf`,
    );
  }
  const json = decodeMessage(type, unknown.raw) as Record<string, unknown>;
  return { apiVersion, kind, object: { apiVersion, kind, ...json } };
}

/** runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType. */
export function readUnknown(buf: Buffer): Unknown {
  const r = new WireReader(buf, 0, buf.length);
  const unknown: Unknown = {
    apiVersion: '',
    kind: '',
    raw: Buffer.alloc(0),
    contentEncoding: '',
    contentType: '',
  };
  while (r.pos < buf.length) {
    const tag = r.uint32();
    if ((tag & 7) !== 2) {
      r.skip(tag & 7);
      continue;
    }
    switch (tag >>> 3) {
      case 1: {
        const end = r.delimitedEnd();
        while (r.pos < end) {
          const inner = r.uint32();
          if (inner === 10) unknown.apiVersion = r.string();
          else if (inner === 18) unknown.kind = r.string();
          else r.skip(inner & 7);
        }
        if (r.pos !== end) throw new ProtobufCodecError('the envelope typeMeta is malformed');
        break;
      }
      case 2:
        unknown.raw = r.bytes();
        break;
      case 3:
        unknown.contentEncoding = r.string();
        break;
      case 4:
        unknown.contentType = r.string();
        break;
      default:
        r.skip(2);
    }
  }
  return unknown;
}

/**
 * Encodes a JSON object of a kind protobuf carries; undefined for kinds it does not (custom
 * resources, Tables), which the caller answers in JSON.
 */
export function encodeEnveloped(object: unknown): Buffer | undefined {
  const raw = encodeRaw(object);
  if (!raw) return undefined;
  const { apiVersion, kind } = object as { apiVersion: string; kind: string };
  return envelope(apiVersion, kind, raw);
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(10).fork().uint32(10).string(apiVersion).uint32(18).string(kind).ldelim();
  w.uint32(18).bytes(raw);
  const unknown = w.finish();
  const out = Buffer.allocUnsafe(4 + unknown.length);
  PROTOBUF_MAGIC.copy(out, 0);
  out.set(unknown, 4);
  return out;
}

/** The object's own message, without the envelope; undefined for kinds protobuf does not carry. */
export function encodeRaw(object: unknown): Uint8Array | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const type = typeForKind(apiVersion, kind);
  if (!type) return undefined;
  return encodeMessage(type, object);
}
