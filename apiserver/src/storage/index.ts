// The storage layer's public surface inside @skiff/apiserver.
export type {
  KeyValue,
  ListOptions,
  ListResult,
  GetOptions,
  DeleteOptions,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  Watch,
  Storage,
} from './interface.js';
export { MAX_VALUE_BYTES } from './interface.js';
export * from './errors.js';
export { objectKey, listPrefix, assertValidKey } from './keys.js';
