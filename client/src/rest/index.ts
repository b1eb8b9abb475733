export { createClient, type Client, type Unstructured } from './client.js';
export {
  DEFAULT_BURST,
  DEFAULT_NAMESPACE,
  DEFAULT_QPS,
  DEFAULT_TIMEOUT_MS,
  type Credentials,
  type RestConfig,
  type RetryConfig,
  type TlsConfig,
} from './config.js';
// The errors and their predicates live in @skiff/api (one module for both sides of the wire);
// re-exported so a controller gets what it branches on from the client it calls.
export {
  ApiError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isStatus,
  isTooManyRequests,
  isUnauthorized,
} from '@skiff/api';
export type {
  CallOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  FieldSelectorInput,
  GetOptions,
  LabelSelectorInput,
  ListOptions,
  PatchOptions,
  PatchType,
  WatchOptions,
  WriteOptions,
} from './options.js';
export { resourcePath, type GroupVersionResource } from './paths.js';
export {
  TokenBucketRateLimiter,
  unlimitedRequests,
  type RequestRateLimiter,
} from './rate-limiter.js';
export type { KubeObject, ResourceClient } from './resource-client.js';
export { RestResourceClient } from './rest-resource-client.js';
export { listAllPages } from './list-all.js';
export {
  ConnectionError,
  RequestTimeoutError,
  RestClient,
  type Method,
  type OpenStream,
  type RequestSender,
  type RestRequest,
} from './rest-client.js';
export type { HttpRequest, Transport } from './transport.js';
export { StreamDecodeError } from './json-lines.js';
export {
  ALL_NAMESPACES,
  type ClusterKinds,
  type NamespacedKinds,
  type TypedClients,
} from './typed-clients.js';
export { StreamWatch, type Watch, type WatchEvent } from './watch.js';
