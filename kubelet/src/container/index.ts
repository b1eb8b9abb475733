export * from './labels.js';
export * from './runtime-pod-status.js';
export {
  getPodStatus,
  getPodStatusOf,
  nanosToMillis,
  toContainerStatus,
} from './get-pod-status.js';
