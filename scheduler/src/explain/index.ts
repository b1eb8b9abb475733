export * from './decision.js';
export * from './decision-store.js';
export * from './routes.js';
