// Public entry of @skiff/client: the REST client, informers, workqueue, leader election, event
// recorder and the Reconciler runtime that every skiff component (and every course controller)
// is built on.

// Workqueue: keys not objects, the dirty/processing rule, delays and retry policies.
export { WorkQueue, type QueueItem, type WorkQueueOptions } from './workqueue/queue.js';
export { DelayingQueue } from './workqueue/delaying-queue.js';
export {
  RateLimitingQueue,
  type RateLimitingQueueOptions,
} from './workqueue/rate-limiting-queue.js';
export { type RateLimiter } from './workqueue/rate-limiter.js';
export { ItemExponentialFailureRateLimiter } from './workqueue/exponential-rate-limiter.js';
export { BucketRateLimiter } from './workqueue/bucket-rate-limiter.js';
export { ItemFastSlowRateLimiter } from './workqueue/fast-slow-rate-limiter.js';
export { MaxOfRateLimiter } from './workqueue/max-of-rate-limiter.js';
export { defaultControllerRateLimiter } from './workqueue/default-rate-limiter.js';

// REST client: typed and dynamic resource clients, watch streams, errors, kubeconfig loading.
export * from './rest/index.js';
export * from './kubeconfig/index.js';

// Informers: list+watch caches with indexes, event handlers, listers and a shared factory.
export * from './informers/index.js';

// Leader election on a Lease, and the event recorder.
export * from './leaderelection/index.js';
export * from './events/index.js';

// The Reconciler runtime: reconcile(request) → result, the controller builder, the manager
// (informers, leader election, graceful shutdown, metrics) and the expectations helper.
export * from './reconcile/index.js';

// Discovery: what the apiserver serves (every group version's resources, CRDs included).
export * from './discovery/index.js';
