export {
  fromDocuments,
  restResourceDiscovery,
  type ApiResource,
  type GCDiscovery,
  type ResourceDiscovery,
} from './discovery.js';
export { GarbageCollector, type GarbageCollectorOptions } from './garbage-collector.js';
export { DependencyGraph } from './graph.js';
export { GraphBuilder, REDISCOVERY_PERIOD_MS } from './graph-builder.js';
export {
  addGarbageCollector,
  ATTEMPT_TO_DELETE_QUEUE,
  ATTEMPT_TO_ORPHAN_QUEUE,
} from './register.js';
