// The process backend's stand-in for conmon: a tiny Node program, one per container, that runs
// the container's command as a plain host process, writes its output to the CRI log, and records
// its exit code in a file. It is detached from the runtime, so, as with conmon, the command keeps
// running and its exit is recorded while the runtime is down.
//
//   node supervisor.js <spec.json>
//
// SIGHUP makes it reopen the log (ReopenContainerLog). It never signals the command itself: the
// runtime signals the command's process group directly.
//
// With `tty` the command runs under a pty (node-pty, prebuilt: a session of its own with the pty
// as controlling terminal, so its process group is its pid as without one). Its output is logged
// as stdout, as containerd logs a terminal, and the pty is served on a unix socket in the
// supervisor's working directory (the container's) for attach: see terminal-socket.ts.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { constants } from 'node:os';
import { formatLogLine, rfc3339Nano, type LogStream } from '../cri-log.js';
import { TERMINAL_SOCKET, TerminalFrameReader } from './terminal-socket.js';

export interface SupervisorSpec {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
  /** Written (atomically) with the command's pid once it runs. */
  readonly pidFile: string;
  /** Written (atomically) with the exit code (128 + signal number when killed by a signal). */
  readonly exitFile: string;
  /** Run under a pty served on `terminal` in the supervisor's working directory. */
  readonly tty?: boolean;
}

type LogWriter = (stream: LogStream, chunk: Buffer) => void;

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
  const write: LogWriter = (stream, chunk) => {
    const time = rfc3339Nano(BigInt(Date.now()) * 1_000_000n);
    const parts = chunk.toString('utf8').split('\n');
    const last = parts.pop() ?? '';
    for (const line of parts) writeSync(log, formatLogLine(time, stream, line, false));
    if (last !== '') writeSync(log, formatLogLine(time, stream, last, true));
  };
  if (spec.tty !== true) return runWithPipes(spec, command, args, write);
  // node-pty (a native addon) is loaded only by the supervisors that need a terminal.
  void import('@lydell/node-pty').then(
    ({ spawn: spawnPty }) => runUnderTerminal(spawnPty, spec, command, args, write),
    (err: unknown) => {
      write('stderr', Buffer.from(`supervisor: no terminal: ${String(err)}\n`));
      atomicWrite(spec.exitFile, '127');
      process.exit(0);
    },
  );
}

function runWithPipes(
  spec: SupervisorSpec,
  command: string,
  args: readonly string[],
  write: LogWriter,
): void {
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: { ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the runtime can signal the command and everything it started.
    detached: true,
  });
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

function runUnderTerminal(
  spawnPty: typeof import('@lydell/node-pty').spawn,
  spec: SupervisorSpec,
  command: string,
  args: readonly string[],
  write: LogWriter,
): void {
  const pty = spawnPty(command, [...args], {
    name: 'xterm',
    cols: 80,
    rows: 24,
    cwd: spec.cwd,
    // As containerd sets it for a container with a terminal, unless the container sets its own.
    env: { TERM: 'xterm', ...spec.env },
    encoding: null,
  });
  const clients = new Set<Socket>();
  pty.onData((data: string | Buffer) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    write('stdout', bytes);
    for (const client of clients) client.write(bytes);
  });
  const server = createServer((client) => {
    clients.add(client);
    const frames = new TerminalFrameReader();
    client.on('data', (chunk: Buffer) => {
      try {
        for (const frame of frames.push(chunk)) {
          // node-pty takes text; terminal input is text, and a lone invalid byte is not worth a crash.
          if (frame.kind === 'input') pty.write(frame.data.toString('utf8'));
          else pty.resize(frame.size.cols, frame.size.rows);
        }
      } catch (err) {
        write('stderr', Buffer.from(`supervisor: dropping a terminal client: ${String(err)}\n`));
        client.destroy();
      }
    });
    client.on('close', () => clients.delete(client));
    // A client gone mid-write is simply gone.
    client.on('error', () => client.destroy());
  });
  // The pid file says the container runs: only once its terminal can be attached to.
  server.listen(TERMINAL_SOCKET, () => atomicWrite(spec.pidFile, String(pty.pid)));
  pty.onExit(({ exitCode, signal }) => {
    for (const client of clients) client.end();
    server.close();
    atomicWrite(
      spec.exitFile,
      String(signal !== undefined && signal > 0 ? 128 + signal : exitCode),
    );
    process.exit(0);
  });
}

function atomicWrite(path: string, content: string): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

main();
