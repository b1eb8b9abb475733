// The etcd storage backend: the Storage contract on a real etcd cluster (our own gRPC client).
export { openEtcdStorage, DEFAULT_ETCD_PREFIX, type EtcdStorageOptions } from './etcd-storage.js';
