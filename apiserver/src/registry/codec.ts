// How objects are stored: JSON without resourceVersion, because the resourceVersion *is* the
// storage revision (modRevision) and is filled in on every read. Storing it would only let the
// two disagree.
import type { KeyValue } from '../storage/index.js';
import { type ApiObject, isPlainObject } from './api-object.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeObject(obj: ApiObject): Uint8Array {
  // Writes leave resourceVersion out already; copying the object to drop it is for the rest.
  if (obj.metadata.resourceVersion === undefined) return encoder.encode(JSON.stringify(obj));
  const { resourceVersion: _dropped, ...metadata } = obj.metadata;
  return encoder.encode(JSON.stringify({ ...obj, metadata }));
}

export function decodeObject(kv: KeyValue): ApiObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as ApiObject;
  // Freshly parsed, so nobody else holds it: filled in place. A stored object has no
  // resourceVersion, so it lands last, where asWritten puts it too.
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * `obj` after it was encoded and written as `kv`: what decodeObject(kv) would return, without
 * parsing the bytes just produced from it (a re-parse cost a create ~3% of its CPU). The
 * resourceVersion goes last, where a decode puts it, so both answers read the same.
 */
export function asWritten(obj: ApiObject, kv: KeyValue): ApiObject {
  delete obj.metadata.resourceVersion;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Two encodings are equal when an update would change nothing: Kubernetes then skips the write. */
export function sameEncoding(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
