// A running container's record, for unit tests of what is computed from records (listing, lost
// exits): every field set as a created-and-started container has it, `patch` overriding.
import type { ContainerRecord } from '../container-record.js';

export function runningRecord(patch: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id: 'c1',
    sandboxId: 's1',
    name: 'app',
    attempt: 0,
    image: 'busybox',
    userSpecifiedImage: '',
    imageRef: '',
    imageId: '',
    labels: {},
    annotations: {},
    mounts: [],
    logPath: '/dev/null',
    cgroupPath: '',
    stopSignal: 'TERM',
    user: { uid: 0, gid: 0, additionalGids: [] },
    limits: {},
    createdAtNs: '1',
    phase: 'running',
    pid: 42,
    ...patch,
  };
}
