export {
  parseCriLog,
  parseCriLogLine,
  parseRfc3339Ms,
  type CriLogEntry,
  type CriLogStream,
} from './parse-cri-log.js';
export { parsePodLogOptions, type PodLogOptions } from './pod-log-options.js';
