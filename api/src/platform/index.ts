export { goArch } from './go-arch.js';
