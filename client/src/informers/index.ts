// Informers: a reflector (list, then watch, resume or relist) keeping an indexed, read-only cache
// of one resource, handlers told of every change, listers to read it, and a factory so a process
// shares one informer (one watch) per resource.
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export type {
  DeleteInfo,
  EventHandlerRegistration,
  ResourceEventHandler,
} from './event-handler.js';
export {
  SharedInformerFactory,
  type BuiltinKinds,
  type InformerOptions,
  type SharedInformerFactoryOptions,
} from './factory.js';
export {
  Indexer,
  NAMESPACE_INDEX,
  labelIndexFunc,
  namespaceIndexFunc,
  type IndexFunc,
  type Indexers,
  type ReplaceResult,
} from './indexer.js';
export { keyFor, splitKey } from './keys.js';
export { stripManagedFields } from './strip-managed-fields.js';
export { Lister, NamespaceLister } from './lister.js';
export { scopedListerWatcher, type ListerWatcher, type SelectorScope } from './list-watch.js';
export { clone } from './read-only.js';
export { deepFreeze } from '@skiff/api';
export { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
export { SharedIndexInformer, type SharedIndexInformerOptions } from './shared-informer.js';
export { waitForCacheSync, type Syncable } from './wait-for-cache-sync.js';
