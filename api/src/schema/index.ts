export { validateStructure } from './validate.js';
export { schemaFor } from './registry.js';
export type { JsonSchema } from './json-schema.js';
