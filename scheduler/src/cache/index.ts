export * from './cache.js';
export { Snapshot } from './snapshot.js';
