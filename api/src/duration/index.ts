export { DurationParseError, parseDuration } from './parse-duration.js';
export { humanDuration } from './human-duration.js';
