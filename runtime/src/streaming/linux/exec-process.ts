// One streaming exec: the OCI runtime's `exec --process <file> <id>` as a child of the runtime,
// with the client's streams as its stdio. Without a TTY these are pipes. With one, the process
// spec asks for a terminal and the OCI runtime (runc, crun) makes a pty inside the container and
// copies between it and its own stdin/stdout, which must themselves be a terminal: the runtime
// runs under a pty of ours (node-pty), and our resizes of that pty reach the container's through
// the OCI runtime's SIGWINCH handling.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OciProcess } from '../../linux/oci-spec.js';
import { runStreamingProcess } from '../run-streaming-process.js';
import type { ProcessStreams } from '../streaming-runtime.js';

export interface ExecProcessOptions {
  /** The OCI runtime binary and its global flags (--root). */
  readonly ociRuntime: string;
  readonly globalArgs: readonly string[];
  readonly containerId: string;
  readonly process: OciProcess;
  /** A directory of its own for the process file; removed afterwards. */
  readonly scratch: string;
}

/** Runs the process until it ends; resolves with its exit code (128+n for a signal n). */
export async function runExecProcess(
  options: ExecProcessOptions,
  streams: ProcessStreams,
): Promise<number> {
  await mkdir(options.scratch, { recursive: true });
  try {
    const file = join(options.scratch, 'process.json');
    await writeFile(file, JSON.stringify(options.process));
    const args = [...options.globalArgs, 'exec', '--process', file, options.containerId];
    return await runStreamingProcess({ command: options.ociRuntime, args }, streams);
  } finally {
    await rm(options.scratch, { recursive: true, force: true });
  }
}
