// etcd's mvccpb.KeyValue (revisions as decimal strings, key with our prefix) → the contract's
// KeyValue. Revisions stay far below 2^53 in any real cluster, so numbers are exact.
import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../interface.js';
import type { EtcdKeyspace } from './keyspace.js';

export function toKeyValue(kv: IKeyValue, keyspace: EtcdKeyspace): KeyValue {
  return {
    key: keyspace.strip(kv.key),
    value: kv.value,
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
  };
}

/** A Uint8Array as the Buffer the etcd3 typings ask for, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
