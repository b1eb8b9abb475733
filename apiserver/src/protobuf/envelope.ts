// Kubernetes' protobuf wire form of an object: the 4 magic bytes `k8s\0`, then a
// runtime.Unknown whose typeMeta names the apiVersion and kind and whose raw holds the object's
// own message (k8s.io/apimachinery/pkg/runtime/serializer/protobuf).
import type protobuf from 'protobufjs';
import { ProtobufCodecError } from './codec-error.js';
import { messageFromJson } from './from-json.js';
import { messageType, typeForKind } from './schema.js';
import { messageToJson } from './to-json.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const unknownType = messageType('k8s.io.apimachinery.pkg.runtime.Unknown');

interface Unknown {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}

export interface DecodedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object as Kubernetes' JSON, apiVersion and kind first. */
  readonly object: Record<string, unknown>;
}

/** Decodes an enveloped object; every way the bytes can be wrong is a ProtobufCodecError. */
export function decodeEnveloped(bytes: Uint8Array): DecodedObject {
  if (bytes.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.equals(bytes.subarray(0, 4))) {
    throw new ProtobufCodecError(
      'the body does not begin with the Kubernetes protobuf prefix "k8s\\x00"',
    );
  }
  if (bytes.length === PROTOBUF_MAGIC.length) {
    throw new ProtobufCodecError('the protobuf body is empty after its prefix');
  }
  const unknown = decodeMessage(unknownType, bytes.subarray(4), 'runtime.Unknown') as Unknown;
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  if (kind === '')
    throw new ProtobufCodecError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') {
    throw new ProtobufCodecError("Object 'apiVersion' is missing in the protobuf envelope");
  }
  if (unknown.contentEncoding) {
    throw new ProtobufCodecError(`unsupported content encoding "${unknown.contentEncoding}"`);
  }
  const type = typeForKind(apiVersion, kind);
  if (!type) {
    throw new ProtobufCodecError(
      `no kind "${kind}" is registered for version "${apiVersion}" in protobuf`,
    );
  }
  const message = decodeMessage(type, unknown.raw ?? new Uint8Array(), kind);
  const json = messageToJson(type, message) as Record<string, unknown>;
  return { apiVersion, kind, object: { apiVersion, kind, ...json } };
}

function decodeMessage(
  type: protobuf.Type,
  bytes: Uint8Array,
  what: string,
): Record<string, unknown> {
  try {
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (err) {
    // protobufjs throws RangeError on truncation and Error on bad wire types; a body nested
    // deep enough to exhaust the stack lands here too.
    if (err instanceof Error) {
      throw new ProtobufCodecError(`error decoding ${what} from protobuf: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Encodes a JSON object of a kind protobuf carries; undefined for kinds it does not (custom
 * resources, Tables), which the caller answers in JSON.
 */
export function encodeEnveloped(object: unknown): Buffer | undefined {
  const raw = encodeRaw(object);
  if (!raw) return undefined;
  const { apiVersion, kind } = object as { apiVersion: string; kind: string };
  const unknown = unknownType.encode({ typeMeta: { apiVersion, kind }, raw: raw.bytes }).finish();
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}

/** The object's own message, without the envelope (watch frames carry WatchEvents bare). */
export function encodeRaw(object: unknown): { bytes: Uint8Array } | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const type = typeForKind(apiVersion, kind);
  if (!type) return undefined;
  return { bytes: type.encode(messageFromJson(type, object, '')).finish() };
}
