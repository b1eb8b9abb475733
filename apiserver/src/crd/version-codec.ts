// How a custom resource crosses between a served version and storage. With conversion strategy
// None (the only one skiff supports; a Webhook CRD is served the same way) versions differ only
// in their name: objects are written with the storage version's apiVersion and read back with
// the requested version's, whatever version they were stored in. That is also how objects
// stored under an earlier storage version keep being served after the storage version changes.
import type { ObjectCodec } from '../registry/registry.js';
import { decodeObject, encodeObject } from '../registry/codec.js';

export function versionCodec(servedApiVersion: string, storageApiVersion: string): ObjectCodec {
  return {
    encode: (obj) => encodeObject({ ...obj, apiVersion: storageApiVersion }),
    decode: (kv) => ({ ...decodeObject(kv), apiVersion: servedApiVersion }),
  };
}
