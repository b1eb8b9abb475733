// protobuf encoding and decoding of the etcd messages, with protobufjs's reflection: the types
// are built once from ./etcd-rpc-proto.ts into a Root of our own.
//
// Decoding is tuned for the hot path without touching protobufjs's global configuration (other
// packages share the same protobufjs instance, and its `util.Long` switch is global): our
// decodes go through EtcdReader, a reader whose int64 yields a number and whose uint64 yields an
// exact bigint, instead of a Long object per field that every caller then converts. The message
// prototypes of our Root (where absent fields are read from) get matching defaults.
import protobuf from 'protobufjs';
import { FRAME_PREFIX_BYTES } from './grpc-frame.js';
import { EtcdRpcError, GrpcStatus } from './grpc-status.js';
import { ETCDSERVERPB_PROTO, MVCCPB_PROTO } from './etcd-rpc-proto.js';

const root = new protobuf.Root();
protobuf.parse(MVCCPB_PROTO, root, { keepCase: true });
protobuf.parse(ETCDSERVERPB_PROTO, root, { keepCase: true });
root.resolveAll();

const EMPTY_BYTES = Buffer.alloc(0);

/** What a decoded message reads for an absent field, in the representation EtcdReader uses. */
function setDefaults(namespace: protobuf.NamespaceBase): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) {
      const prototype = nested.ctor.prototype as Record<string, unknown>;
      for (const field of nested.fieldsArray) {
        if (field.repeated || field.map) continue;
        if (field.type === 'int64') prototype[field.name] = 0;
        else if (field.type === 'uint64') prototype[field.name] = 0n;
        // protobufjs's default for bytes is a frozen empty Array, not a Uint8Array.
        else if (field.type === 'bytes') prototype[field.name] = EMPTY_BYTES;
      }
    }
    if (nested instanceof protobuf.Namespace) setDefaults(nested);
  }
}
setDefaults(root);

class EtcdReader extends protobuf.BufferReader {}
// Assigned rather than declared as overrides: protobufjs's typings promise Long from these.
Object.defineProperties(EtcdReader.prototype, {
  int64: { value: readInt64 },
  uint64: { value: readUint64 },
});

/** Next byte of a varint, bounds-checked like protobufjs's own reads. */
function nextByte(reader: protobuf.Reader): number {
  if (reader.pos >= reader.len) {
    throw new RangeError(`index out of range: ${reader.pos} + 1 > ${reader.len}`);
  }
  return reader.buf[reader.pos++] ?? 0;
}

/** A varint int64 as a number: exact up to 2^53, which no etcd revision or count comes near. */
function readInt64(this: protobuf.Reader): number {
  let value = 0;
  for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
    const byte = nextByte(this);
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value >= 2 ** 63 ? value - 2 ** 64 : value;
  }
  throw new RangeError('invalid varint encoding');
}

/** A varint uint64 as an exact bigint: 49 low bits summed as a number, the rest as a bigint. */
function readUint64(this: protobuf.Reader): bigint {
  let low = 0;
  for (let i = 0, scale = 1; i < 7; i++, scale *= 128) {
    const byte = nextByte(this);
    low += (byte & 0x7f) * scale;
    if (byte < 0x80) return BigInt(low);
  }
  let high = 0;
  for (let i = 0, scale = 1; i < 3; i++, scale *= 128) {
    const byte = nextByte(this);
    high += (byte & 0x7f) * scale;
    if (byte < 0x80) return BigInt.asUintN(64, (BigInt(high) << 49n) | BigInt(low));
  }
  throw new RangeError('invalid varint encoding');
}

/** One RPC of etcd: its HTTP/2 path and how its messages cross the wire. */
export interface RpcMethod<Request, Response> {
  readonly path: string;
  /** The request as one gRPC frame (prefix included), ready to write. */
  encode(request: Request): Uint8Array;
  /** One response message (without its prefix). */
  decode(message: Buffer): Response;
}

export function rpcMethod<Request extends object, Response>(
  path: string,
  requestType: string,
  responseType: string,
): RpcMethod<Request, Response> {
  const requests = root.lookupType(requestType);
  const responses = root.lookupType(responseType);
  const hasHeader = responses.fields['header'] !== undefined;
  return {
    path,
    encode: (request) => encodeFrame(requests, request),
    decode(message) {
      let decoded: protobuf.Message;
      try {
        decoded = responses.decode(new EtcdReader(message));
      } catch (err) {
        throw new EtcdRpcError(
          GrpcStatus.INTERNAL,
          `could not decode ${responseType} from etcd: ${String(err)}`,
          { cause: err },
        );
      }
      // etcd sets the header of every response; code reading it relies on that.
      if (hasHeader && (decoded as { header?: unknown }).header == null) {
        throw new EtcdRpcError(GrpcStatus.INTERNAL, `etcd sent a ${responseType} without header`);
      }
      return decoded as unknown as Response;
    },
  };
}

/**
 * One allocation per request: the writer starts with 5 placeholder bytes for gRPC's prefix
 * (a zero "not compressed" byte, then 4 bytes for the length), the message is encoded after
 * them, and the length is filled in once known. No second buffer, no copy.
 */
function encodeFrame(type: protobuf.Type, message: object): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32(0).fixed32(0);
  type.encode(message, writer);
  const frame = writer.finish();
  const length = frame.length - FRAME_PREFIX_BYTES;
  frame[1] = length >>> 24;
  frame[2] = (length >>> 16) & 0xff;
  frame[3] = (length >>> 8) & 0xff;
  frame[4] = length & 0xff;
  return frame;
}
