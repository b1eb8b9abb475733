export * from './config.js';
export { buildFramework, type BuildOptions } from './build.js';
export {
  DEFAULT_MULTI_POINT,
  DEFAULT_SCHEDULER_NAME,
  EXTENSION_POINTS,
  type ExtensionPoint,
} from './defaults.js';
export { loadSchedulerConfig } from './load.js';
export { parsePositiveDuration } from './duration.js';
