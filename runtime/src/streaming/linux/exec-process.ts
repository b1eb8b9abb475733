// One streaming exec: the OCI runtime's `exec --process <file> <id>` as a child of the runtime,
// with the client's streams as its stdio. Without a TTY these are pipes. With one, the process
// spec asks for a terminal and the OCI runtime (runc, crun) makes a pty inside the container and
// copies between it and its own stdin/stdout, which must themselves be a terminal: the runtime
// runs under a pty of ours (node-pty), and our resizes of that pty reach the container's through
// the OCI runtime's SIGWINCH handling.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
import type { OciProcess } from '../../linux/oci-spec.js';
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

/** ^D: what ends a terminal's input, since a pty has no half-close. */
const END_OF_TRANSMISSION = '\x04';

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
    return streams.tty
      ? await runUnderPty(options.ociRuntime, args, streams)
      : await runWithPipes(options.ociRuntime, args, streams);
  } finally {
    await rm(options.scratch, { recursive: true, force: true });
  }
}

function runWithPipes(command: string, args: string[], streams: ProcessStreams): Promise<number> {
  const child = spawn(command, args, {
    stdio: [streams.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const stdin = child.stdin;
  if (streams.stdin !== undefined && stdin !== null) {
    streams.stdin.pipe(stdin);
    // A client that goes away without closing stdin still ends the input, as a closed
    // connection does for containerd's exec.
    streams.stdin.once('close', () => stdin.end());
    // The process may exit without reading all its input: that is not our error.
    stdin.on('error', () => undefined);
  }
  const outputs = [drain(child.stdout, streams.stdout), drain(child.stderr, streams.stderr)];
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      streams.stdin?.unpipe();
      void Promise.all(outputs).then(() => resolve(exitCodeOf(code, signal)));
    });
  });
}

/** Copies `from` into `to` without ending `to`; resolves when `from` has ended. */
function drain(
  from: NodeJS.ReadableStream | null,
  to: NodeJS.WritableStream | undefined,
): Promise<void> {
  if (from === null) return Promise.resolve();
  return new Promise((resolve) => {
    from.on('data', (chunk: Buffer) => to?.write(chunk));
    from.once('end', resolve);
    from.once('error', () => resolve());
  });
}

function runUnderPty(command: string, args: string[], streams: ProcessStreams): Promise<number> {
  // The OCI runtime sizes the container's terminal from ours when it starts, and again on each
  // SIGWINCH (which resizing ours sends it): start at the client's size when it is known.
  let size = { cols: 80, rows: 24 };
  const holder: { pty?: ReturnType<typeof spawnPty> } = {};
  streams.onResize(({ width, height }) => {
    if (width === 0 || height === 0) return;
    size = { cols: width, rows: height };
    holder.pty?.resize(width, height);
  });
  const pty = spawnPty(command, args, {
    name: 'xterm',
    ...size,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    encoding: null,
  });
  holder.pty = pty;
  const output = pty.onData((data: string | Buffer) => {
    streams.stdout?.write(typeof data === 'string' ? Buffer.from(data) : data);
  });
  // node-pty takes text; terminal input is text, and a lone invalid byte is not worth a crash.
  streams.stdin?.on('data', (chunk: Buffer) => pty.write(chunk.toString('utf8')));
  streams.stdin?.once('end', () => pty.write(END_OF_TRANSMISSION));
  // The client gone (its connection closed under the output stream) is a hang-up, as closing a
  // terminal is: SIGHUP to the OCI runtime, which passes it on to the process.
  let exited = false;
  streams.stdout?.once('close', () => {
    if (!exited) pty.kill('SIGHUP');
  });
  return new Promise((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      exited = true;
      output.dispose();
      streams.stdin?.removeAllListeners('data');
      resolve(signal !== undefined && signal > 0 ? 128 + signal : exitCode);
    });
  });
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signals: Partial<Record<NodeJS.Signals, number>> = {
    SIGKILL: 9,
    SIGTERM: 15,
    SIGINT: 2,
    SIGHUP: 1,
  };
  return 128 + (signal === null ? 0 : (signals[signal] ?? 0));
}
