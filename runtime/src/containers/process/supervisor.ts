// The process backend's stand-in for conmon: a tiny Node program, one per container, that runs
// the container's command as a plain host process, writes its output to the CRI log, and records
// its exit code in a file. It is detached from the runtime, so, as with conmon, the command keeps
// running and its exit is recorded while the runtime is down.
//
//   node supervisor.js <spec.json>
//
// SIGHUP makes it reopen the log (ReopenContainerLog). It never signals the command itself: the
// runtime signals the command's process group directly.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { formatLogLine, rfc3339Nano, type LogStream } from '../cri-log.js';

export interface SupervisorSpec {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
  /** Written (atomically) with the command's pid once it runs. */
  readonly pidFile: string;
  /** Written (atomically) with the exit code (128 + signal number when killed by a signal). */
  readonly exitFile: string;
}

function main(): void {
  const specPath = process.argv[2];
  if (specPath === undefined) throw new Error('usage: supervisor <spec.json>');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as SupervisorSpec;
  let log = openSync(spec.logPath, 'a');
  process.on('SIGHUP', () => {
    closeSync(log);
    log = openSync(spec.logPath, 'a');
  });
  // Signals sent to the whole group of the runtime (Ctrl-C) must not end the supervisor.
  process.on('SIGINT', () => undefined);

  const [command, ...args] = spec.args;
  if (command === undefined) throw new Error('the spec has no command');
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: { ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the runtime can signal the command and everything it started.
    detached: true,
  });
  const write = (stream: LogStream, chunk: Buffer): void => {
    const time = rfc3339Nano(BigInt(Date.now()) * 1_000_000n);
    const parts = chunk.toString('utf8').split('\n');
    const last = parts.pop() ?? '';
    for (const line of parts) writeSync(log, formatLogLine(time, stream, line, false));
    if (last !== '') writeSync(log, formatLogLine(time, stream, last, true));
  };
  child.stdout.on('data', (chunk: Buffer) => write('stdout', chunk));
  child.stderr.on('data', (chunk: Buffer) => write('stderr', chunk));
  child.on('spawn', () => atomicWrite(spec.pidFile, String(child.pid)));
  child.on('error', (err) => {
    write('stderr', Buffer.from(`${err.message}\n`));
    atomicWrite(spec.exitFile, '127');
    process.exit(0);
  });
  // 'close' comes after both output pipes are drained, so the log is complete when the exit is.
  child.on('close', (code, signal) => {
    const signalNumber = signal === null ? 0 : (constants.signals[signal] ?? 0);
    atomicWrite(spec.exitFile, String(code ?? 128 + signalNumber));
    process.exit(0);
  });
}

function atomicWrite(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

main();
