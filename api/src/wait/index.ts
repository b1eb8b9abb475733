// Waiting and retrying on the injected Clock, once: the counterpart of apimachinery's util/wait
// (and of client-go's flowcontrol token bucket).
export { sleepUnlessAborted } from './sleep.js';
export { jitter, type Random } from './jitter.js';
export { until, jitterUntil, pollUntil, type LoopOptions } from './until.js';
export { Backoff, backoffDelay, type BackoffOptions } from './backoff.js';
export { ExponentialBackoffManager, type BackoffManagerOptions } from './backoff-manager.js';
export { TokenBucket } from './token-bucket.js';
