export type * from './meta.js';
export type * from './core-v1.js';
export type * from './apps-v1.js';
export type * from './autoscaling-v1.js';
export type * from './coordination-v1.js';
export type * from './apiextensions-v1.js';
export type * from './discovery-v1.js';
