// The two messages of the standard gRPC health protocol (grpc.health.v1, health.proto), encoded
// by hand: each has a single field, so a protobuf library and a .proto file would be more code
// than the wire format itself. The probe client and the test servers share these, so both ends
// of a test speak exactly what a real grpc.health.v1 peer would see.
//
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }
//   enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }

export const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';

export const SERVING_STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

function encodeVarint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/** Reads the varint at `pos`; returns it and the position after it. */
function decodeVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const byte = buf[i] ?? 0;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('truncated varint');
}

/**
 * Every occurrence of field 1 in `buf`, by wire type; other fields are skipped, as protobuf
 * requires of a reader (a newer peer may send fields this one does not know).
 */
function fieldOne(buf: Uint8Array): { varint?: number; bytes?: Uint8Array } {
  const found: { varint?: number; bytes?: Uint8Array } = {};
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = decodeVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    pos = afterKey;
    if (wireType === WIRE_VARINT) {
      const [value, next] = decodeVarint(buf, pos);
      if (field === 1) found.varint = value;
      pos = next;
    } else if (wireType === WIRE_LEN) {
      const [length, start] = decodeVarint(buf, pos);
      if (start + length > buf.length) throw new Error('truncated length-delimited field');
      if (field === 1) found.bytes = buf.subarray(start, start + length);
      pos = start + length;
    } else if (wireType === WIRE_I64) {
      pos += 8;
    } else if (wireType === WIRE_I32) {
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  if (pos > buf.length) throw new Error('truncated fixed-width field');
  return found;
}

export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0); // proto3 leaves a default value out
  const text = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...encodeVarint(text.length)]), text]);
}

export function decodeHealthCheckRequest(buf: Uint8Array): string {
  const { bytes } = fieldOne(buf);
  return bytes === undefined ? '' : Buffer.from(bytes).toString('utf8');
}

export function encodeHealthCheckResponse(status: ServingStatus): Buffer {
  const value = SERVING_STATUS_NAMES.indexOf(status);
  return value <= 0 ? Buffer.alloc(0) : Buffer.from([0x08, ...encodeVarint(value)]);
}

/** The status's name; a value this enum does not know prints as Go's String() does: its number. */
export function decodeHealthCheckResponse(buf: Uint8Array): string {
  const value = fieldOne(buf).varint ?? 0;
  return SERVING_STATUS_NAMES[value] ?? String(value);
}
