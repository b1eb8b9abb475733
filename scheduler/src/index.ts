// Public entry of @skiff/scheduler: the scheduling framework with Kubernetes' plugins, its
// queue and cache, profiles from a KubeSchedulerConfiguration, and the scheduler process.
export * from './framework/index.js';
export { Cache, Snapshot, DEFAULT_ASSUMED_POD_TTL_MS } from './cache/index.js';
export {
  SchedulingQueue,
  podKey,
  type QueueName,
  type SchedulingQueueOptions,
} from './queue/index.js';
export { inTreeRegistry } from './plugins/registry.js';
export {
  API_VERSION as SCHEDULER_CONFIG_API_VERSION,
  buildFramework,
  decodeSchedulerConfig,
  defaultSchedulerConfig,
  loadSchedulerConfig,
  parsePositiveDuration,
  DEFAULT_SCHEDULER_NAME,
  type LeaderElectionConfig,
  type ProfileConfig,
  type SchedulerConfig,
} from './profile/index.js';
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
export { FitError } from './scheduler/fit-error.js';
export {
  startSchedulerApp,
  DEFAULT_SCHEDULER_PORT,
  type SchedulerApp,
  type SchedulerAppOptions,
} from './app.js';
export {
  DecisionStore,
  type Decision,
  type DecisionSummary,
  type NodeDecision,
} from './explain/index.js';
