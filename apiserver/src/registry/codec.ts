// How objects are stored: JSON without resourceVersion, because the resourceVersion *is* the
// storage revision (modRevision) and is filled in on every read. Storing it would only let the
// two disagree.
import type { KeyValue } from '../storage/index.js';
import type { ApiObject } from './api-object.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeObject(obj: ApiObject): Uint8Array {
  const { resourceVersion: _dropped, ...metadata } = obj.metadata;
  return encoder.encode(JSON.stringify({ ...obj, metadata }));
}

export function decodeObject(kv: KeyValue): ApiObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as ApiObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(kv.modRevision) };
  return obj;
}

/** Two encodings are equal when an update would change nothing: Kubernetes then skips the write. */
export function sameEncoding(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
