// Public entry of @skiff/api: the Kubernetes object model — types, schemas, defaulting,
// validation, selectors, quantities — and the injected Clock every component uses.
export * from './clock/index.js';
