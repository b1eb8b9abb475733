export { taintTolerated, toleratesTaint } from './tolerations.js';
