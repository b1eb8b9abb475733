export * from './scheduling-queue.js';
export { isPodUpdated } from './pod-updated.js';
