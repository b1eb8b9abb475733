export * from './events.js';
export { GenericPleg, RELIST_PERIOD_MS, type GenericPlegOptions } from './generic-pleg.js';
export { PodCache, relistStatesOf } from './pod-cache.js';
