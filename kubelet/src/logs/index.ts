export { writeContainerLogs, FOLLOW_POLL_MS, type ContainerLogOptions } from './container-logs.js';
export {
  containerIdForLogs,
  containerLogPath,
  containerRunning,
  ContainerLogError,
} from './find-container-log.js';
