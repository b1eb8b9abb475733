// What skiff remembers about a container, in `<root>/containers/<id>/state.json`. Everything CRI's
// ContainerStatus reports is here or derived from conmon's files; timestamps are nanoseconds since
// the epoch as decimal strings (JSON numbers cannot hold them exactly).
import { readlink } from 'node:fs/promises';
import type { Mount__Output } from '@skiff/proto';
import type { ContainerStdio, ResourceLimits } from '../linux/index.js';

export type ContainerPhase = 'created' | 'running' | 'exited';

export interface ContainerRecord {
  readonly id: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly attempt: number;
  /** The image as the kubelet named it, and what it resolved to. */
  readonly image: string;
  readonly userSpecifiedImage: string;
  readonly imageRef: string;
  readonly imageId: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly mounts: Mount__Output[];
  /** Absolute path of the CRI log (sandbox log_directory + container log_path). */
  readonly logPath: string;
  readonly cgroupPath: string;
  /** The signal Stop sends first: the image's StopSignal, else SIGTERM. */
  readonly stopSignal: string;
  readonly user: { readonly uid: number; readonly gid: number; readonly additionalGids: number[] };
  limits: ResourceLimits;
  /** CRI's stdin, stdin_once and tty; absent in records written before skiff kept them. */
  readonly stdio?: ContainerStdio;
  readonly createdAtNs: string;
  phase: ContainerPhase;
  pid: number;
  startedAtNs?: string;
  finishedAtNs?: string;
  exitCode?: number;
  reason?: string;
  message?: string;
}

export interface ExitInfo {
  readonly exitCode: number;
  readonly finishedAtNs: bigint;
  readonly oomKilled: boolean;
}

/** Records an exit in the record, with the reason Kubernetes shows (OOMKilled, Completed, Error). */
export function recordExit(record: ContainerRecord, exit: ExitInfo, message?: string): void {
  record.phase = 'exited';
  record.exitCode = exit.exitCode;
  record.finishedAtNs = exit.finishedAtNs.toString();
  record.reason = exit.oomKilled ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error';
  if (message !== undefined) record.message = message;
  else if (exit.oomKilled)
    record.message = 'the container exceeded its memory limit and was killed';
}

/**
 * The stdio of a container whose record predates `stdio`: no terminal (skiff made none then), and
 * a stdin pipe if its process reads one — which that conmon, run without --leave-stdin-open,
 * closes when an attach client leaves: stdin_once, in effect.
 */
export async function stdioOfOlderRecord(pid: number): Promise<ContainerStdio> {
  let stdin: string;
  try {
    stdin = await readlink(`/proc/${pid}/fd/0`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The process is gone (or never was): there is nothing to attach to anyway.
    if (code === 'ENOENT' || code === 'ESRCH')
      return { stdin: false, stdinOnce: false, tty: false };
    throw err;
  }
  const pipe = stdin.startsWith('pipe:');
  return { stdin: pipe, stdinOnce: pipe, tty: false };
}
