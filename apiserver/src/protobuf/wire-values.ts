// Scalars as protobufjs hands them over and as JSON wants them: 64-bit integers arrive as Long
// objects (protobufjs uses the `long` package when it is installed), bytes as Buffers.
import { ProtobufCodecError } from './codec-error.js';

interface LongLike {
  toNumber(): number;
}

export function int64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as LongLike).toNumber();
  }
  return Number(value);
}

const integerTypes = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64']);

/** The JSON form of a decoded scalar. */
export function scalarToJson(type: string, value: unknown): unknown {
  if (type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (type === 'int64' || type === 'uint64' || type === 'sint64') return int64(value);
  return value;
}

/** Go's zero value of a decoded scalar. */
export function isZeroScalar(type: string, value: unknown): boolean {
  if (type === 'string') return value === '';
  if (type === 'bool') return value === false;
  if (type === 'bytes') return (value as Uint8Array).length === 0;
  return int64(value) === 0;
}

/** A JSON scalar as protobufjs encodes it; a value of the wrong JSON type is refused. */
export function scalarFromJson(type: string, value: unknown, path: string): unknown {
  if (type === 'string') {
    if (typeof value === 'string') return value;
  } else if (type === 'bool') {
    if (typeof value === 'boolean') return value;
  } else if (type === 'bytes') {
    if (typeof value === 'string') return Buffer.from(value, 'base64');
  } else if (integerTypes.has(type)) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  } else if (type === 'double' || type === 'float') {
    if (typeof value === 'number') return value;
  }
  throw new ProtobufCodecError(
    `${path}: cannot encode ${JSON.stringify(value)} as protobuf ${type}`,
  );
}
