// A container whose monitor (conmon on Linux, the Node supervisor in the process backend) died
// without writing an exit file: killed, or the host rebooted. The process went with it, and how
// it ended is lost for good. Both backends report such a container as exited with 255 and reason
// Unknown, as CRI-O does, rather than as running forever.
import { recordExit, type ContainerRecord } from './container-record.js';

/** How a backend looks at its monitor; only the mechanism differs between the backends. */
export interface MonitorCheck {
  alive(): Promise<boolean>;
  /** Whether the exit file exists: looked at again after `alive`, see recordLostExit. */
  exitRecorded(): Promise<boolean>;
  /** What the container's status message says, naming the backend's monitor. */
  readonly lostMessage: string;
}

/**
 * Marks `record` as exited with an unknown code if its monitor is gone; returns whether it did, so
 * the caller saves the record. The exit file is looked for once more after the monitor is found
 * gone: a monitor that wrote it and ended between the caller's first look and ours is not lost.
 */
export async function recordLostExit(
  record: ContainerRecord,
  monitor: MonitorCheck,
  nowNs: bigint,
): Promise<boolean> {
  if (await monitor.alive()) return false;
  if (await monitor.exitRecorded()) return false;
  recordExit(record, { exitCode: 255, finishedAtNs: nowNs, oomKilled: false }, monitor.lostMessage);
  record.reason = 'Unknown';
  return true;
}
