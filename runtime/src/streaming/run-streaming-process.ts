// A program run with a streaming client's streams as its stdio: pipes, or a pty of ours
// (node-pty, prebuilt) when the client asked for a TTY, resized as the client's terminal is.
// The exit code is the program's (128+n for a signal n).
import { spawn } from 'node:child_process';
import { spawn as spawnPty } from '@lydell/node-pty';
import type { ProcessStreams } from './streaming-runtime.js';

/** ^D: what ends a terminal's input, since a pty has no half-close. */
const END_OF_TRANSMISSION = '\x04';

export interface ProgramToRun {
  readonly command: string;
  readonly args: readonly string[];
  /** Default: just PATH, so nothing of this process's environment leaks into the program. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

const MINIMAL_ENV = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };

/** Runs a program with the client's streams (under a pty for a TTY); resolves with its exit code. */
export function runStreamingProcess(
  program: ProgramToRun,
  streams: ProcessStreams,
): Promise<number> {
  return streams.tty ? runUnderPty(program, streams) : runWithPipes(program, streams);
}

function runWithPipes(program: ProgramToRun, streams: ProcessStreams): Promise<number> {
  const child = spawn(program.command, [...program.args], {
    env: program.env ?? MINIMAL_ENV,
    ...(program.cwd !== undefined && { cwd: program.cwd }),
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

function runUnderPty(program: ProgramToRun, streams: ProcessStreams): Promise<number> {
  // The OCI runtime sizes the container's terminal from ours when it starts, and again on each
  // SIGWINCH (which resizing ours sends it): start at the client's size when it is known.
  let size = { cols: 80, rows: 24 };
  const holder: { pty?: ReturnType<typeof spawnPty> } = {};
  streams.onResize(({ width, height }) => {
    if (width === 0 || height === 0) return;
    size = { cols: width, rows: height };
    holder.pty?.resize(width, height);
  });
  const pty = spawnPty(program.command, [...program.args], {
    name: 'xterm',
    ...size,
    env: program.env ?? MINIMAL_ENV,
    ...(program.cwd !== undefined && { cwd: program.cwd }),
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
