// Public entry of @skiff/apiserver: the Kubernetes REST API over a storage layer (embedded MVCC
// store or etcd).
export * from './storage/index.js';
export {
  openEmbeddedStorage,
  type EmbeddedStorage,
  type EmbeddedStorageOptions,
} from './storage/embedded/index.js';
export { openEtcdStorage, type EtcdStorageOptions } from './storage/etcd/index.js';
export {
  createApiServer,
  SERVER_GIT_VERSION,
  type ApiServer,
  type ApiServerOptions,
} from './server/index.js';
export type { Authenticator, Authorizer, UserInfo } from './http/auth.js';
export { DEFAULT_SERVICE_CIDR, DEFAULT_NODE_PORT_RANGE } from './allocators/service-ranges.js';
