export { DurationParseError, parseDuration } from './parse-duration.js';
