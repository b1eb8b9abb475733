export type { Clock, Timer } from './clock.js';
export { realClock, sleepOn } from './clock.js';
