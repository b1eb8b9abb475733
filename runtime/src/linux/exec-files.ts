// The files of one exec (ExecSync, or an exec through the streaming server): the OCI process
// file the runtime's `exec --process` reads and the pid file it writes, side by side in the
// runtime's exec directory under a name of their own.
//
// They are written and removed with synchronous calls, on purpose: the process file is a few
// hundred bytes into the page cache (no fsync), tens of microseconds of system calls. Done
// through libuv's thread pool as before — a directory made, the file opened, written and closed,
// the directory walked and removed — they were about ten hand-offs to a pool thread and back per
// exec, and on a loaded machine every hand-off waits for a CPU twice; that was much of why an
// ExecSync took longer than containerd's.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OciProcess } from './oci-spec.js';

export interface ExecFiles {
  readonly processFile: string;
  readonly pidFile: string;
  /** Removes both; safe to repeat, and when the runtime never wrote the pid file. */
  remove(): void;
}

/** Writes `process` to a new process file in `execDir` (which must exist). */
export function writeExecFiles(
  execDir: string,
  containerId: string,
  process: OciProcess,
): ExecFiles {
  const base = join(execDir, `${containerId.slice(0, 12)}-${randomBytes(6).toString('hex')}`);
  const processFile = `${base}.process.json`;
  const pidFile = `${base}.pid`;
  writeFileSync(processFile, JSON.stringify(process));
  return {
    processFile,
    pidFile,
    remove: () => {
      rmSync(processFile, { force: true });
      rmSync(pidFile, { force: true });
    },
  };
}

/**
 * The process an exec runs: the container's own (user, capabilities, environment, rlimits…)
 * with the exec's argv. The container's oom_score_adj stays the container's: the runtime would
 * otherwise write it again for the exec, and lowering it is refused where skiff itself runs with
 * a higher one.
 */
export function execProcessOf(
  containerProcess: OciProcess,
  argv: readonly string[],
  terminal: boolean,
): OciProcess {
  const process: OciProcess = { ...containerProcess, args: [...argv], terminal };
  delete process.oomScoreAdj;
  if (terminal && !process.env.some((e) => e.startsWith('TERM='))) {
    process.env = [...process.env, 'TERM=xterm'];
  }
  return process;
}
