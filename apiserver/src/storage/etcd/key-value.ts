// etcd's mvccpb.KeyValue (key with our prefix, revisions already numbers: see
// ./wire/etcd-messages.ts) → the contract's KeyValue.
import type { KeyValue } from '../interface.js';
import type { EtcdKeyspace } from './keyspace.js';
import type { KeyValue as EtcdKeyValue } from './wire/etcd-messages.js';

export function toKeyValue(kv: EtcdKeyValue, keyspace: EtcdKeyspace): KeyValue {
  return {
    key: keyspace.strip(kv.key),
    value: kv.value,
    createRevision: kv.create_revision,
    modRevision: kv.mod_revision,
    version: kv.version,
  };
}
