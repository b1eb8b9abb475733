// One streaming exec: the OCI runtime's `exec --process <file> <id>` as a child of the runtime,
// with the client's streams as its stdio. Without a TTY these are pipes. With one, the process
// spec asks for a terminal and the OCI runtime (runc, crun) makes a pty inside the container and
// copies between it and its own stdin/stdout, which must themselves be a terminal: the runtime
// runs under a pty of ours (node-pty), and our resizes of that pty reach the container's through
// the OCI runtime's SIGWINCH handling.
import { writeExecFiles } from '../../linux/exec-files.js';
import type { OciProcess } from '../../linux/oci-spec.js';
import { runStreamingProcess } from '../run-streaming-process.js';
import type { ProcessStreams } from '../streaming-runtime.js';

export interface ExecProcessOptions {
  /** The OCI runtime binary and its global flags (--root). */
  readonly ociRuntime: string;
  readonly globalArgs: readonly string[];
  readonly containerId: string;
  readonly process: OciProcess;
  /** Where the process file is written for the life of the exec. */
  readonly execDir: string;
}

/** Runs the process until it ends; resolves with its exit code (128+n for a signal n). */
export async function runExecProcess(
  options: ExecProcessOptions,
  streams: ProcessStreams,
): Promise<number> {
  const files = writeExecFiles(options.execDir, options.containerId, options.process);
  try {
    const args = [
      ...options.globalArgs,
      'exec',
      '--process',
      files.processFile,
      options.containerId,
    ];
    return await runStreamingProcess({ command: options.ociRuntime, args }, streams);
  } finally {
    files.remove();
  }
}
