export { validateStructure } from './validate.js';
