export {
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  type LeaderElectionCallbacks,
  type LeaderElectorOptions,
} from './config.js';
export { type LeaderElectionRecord } from './election-record.js';
export { LeaderElector, type LeaderElectionStatus } from './leader-elector.js';
export { LeaseLock, type LeaseLockOptions } from './lease-lock.js';
