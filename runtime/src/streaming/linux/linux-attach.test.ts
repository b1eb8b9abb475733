// Attach on real containers, through conmon's attach socket: a container created with a TTY has a
// terminal (and logs it as stdout), the client's input reaches the container's stdin, its terminal
// size reaches the container's terminal, and stdin_once closes the stdin as containerd does.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ContainerConfig } from '@skiff/proto';
import { parseCriLogLine } from '@skiff/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  podConfig,
  readLog,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from '../../containers/testing/linux-test-kit.js';
import type { TerminalSize } from '../remotecommand/terminal-size.js';
import type { ProcessStreams } from '../streaming-runtime.js';
import { LinuxStreaming } from './linux-streaming.js';

interface Client {
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  /** Everything received on stdout so far. */
  output(): string;
  /** Writes `line` every 200 ms (the container may not read yet) until stdout shows `expected`. */
  typeUntil(line: string, ...expected: string[]): Promise<unknown>;
  resize(size: TerminalSize): void;
  readonly streams: ProcessStreams;
}

function client(options: { stdin: boolean; tty: boolean }): Client {
  const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let received = '';
  stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
  stderr.resume();
  // As the streaming server: a size sent before the attach listens is given to it when it does.
  const listeners: ((size: TerminalSize) => void)[] = [];
  let latest: TerminalSize | undefined;
  return {
    stdin,
    stdout,
    stderr,
    output: () => received,
    typeUntil: (line, ...expected) =>
      eventually(
        `${expected.join(' and ')} on stdout`,
        () => {
          stdin.write(line);
          return expected.every((e) => received.includes(e));
        },
        { intervalMs: 200 },
      ),
    resize: (size) => {
      latest = size;
      listeners.forEach((l) => l(size));
    },
    streams: {
      stdin: options.stdin ? stdin : undefined,
      stdout,
      stderr: options.tty ? undefined : stderr,
      tty: options.tty,
      onResize: (listener) => {
        listeners.push(listener);
        if (latest !== undefined) listener(latest);
      },
    },
  };
}

describe.skipIf(skipLinuxTests())('attach on the linux backend', () => {
  let rt: LinuxTestRuntime;
  let sandboxId: string;
  let streaming: LinuxStreaming;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
    sandboxId = await rt.backend.runPodSandbox(
      podConfig('attach', { log_directory: join(rt.root, 'logs') }),
    );
    streaming = new LinuxStreaming({
      backend: rt.backend,
      ociRuntime: { path: rt.backend.oci.path, globalArgs: rt.backend.oci.globalArgs },
      scratchDir: join(rt.root, 'execs'),
    });
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  async function running(config: ContainerConfig): Promise<string> {
    const id = await rt.backend.createContainer(sandboxId, config);
    await rt.backend.startContainer(id);
    return id;
  }

  async function logLines(id: string): Promise<{ stream: string; text: string }[]> {
    const { log_path } = await rt.backend.containerStatus(id);
    return (await readLog(log_path)).split('\n').flatMap((line) => {
      const entry = parseCriLogLine(line);
      return entry === undefined ? [] : [{ stream: entry.stream, text: entry.content }];
    });
  }

  it('gives a tty container a terminal that follows the client size, and logs it as stdout', async () => {
    const id = await running(
      shellContainer(
        'tty',
        'test -t 0 && echo "is a tty, TERM=$TERM"; while read line; do echo "got:$line"; stty size; done',
        { tty: true, stdin: true },
      ),
    );
    await eventually('the terminal line in the log', async () =>
      (await logLines(id)).some((l) => l.text.startsWith('is a tty, TERM=xterm')),
    );
    const c = client({ stdin: true, tty: true });
    const attached = streaming.attach(id, c.streams);
    c.resize({ width: 101, height: 31 });
    await c.typeUntil('hello\n', 'got:hello', '31 101');
    // A terminal turns \n into \r\n; the attach passes its bytes as they are.
    expect(c.output()).toContain('got:hello\r\n');
    const lines = await logLines(id);
    expect(lines.every((l) => l.stream === 'stdout')).toBe(true);
    expect(lines.map((l) => l.text.replace(/\r$/, ''))).toContain('got:hello');
    c.stdin.end();
    await attached;
    expect((await rt.backend.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
  });

  it('keeps the stdin of a container without stdin_once open for the next attach', async () => {
    const id = await running(
      shellContainer('reader', 'while read line; do echo "got:$line"; done; echo stdin-closed', {
        stdin: true,
      }),
    );
    const first = client({ stdin: true, tty: false });
    const firstAttach = streaming.attach(id, first.streams);
    await first.typeUntil('one\n', 'got:one\n');
    first.stdin.end();
    await firstAttach;
    const second = client({ stdin: true, tty: false });
    const secondAttach = streaming.attach(id, second.streams);
    await second.typeUntil('two\n', 'got:two\n');
    second.stdout.destroy();
    await secondAttach;
    expect(second.output()).not.toContain('stdin-closed');
    expect((await rt.backend.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
  });

  it('closes the stdin of a stdin_once container when its first attach ends its input', async () => {
    const id = await running(
      shellContainer('once', 'while read line; do echo "got:$line"; done; echo stdin-closed', {
        stdin: true,
        stdin_once: true,
      }),
    );
    // An attach without stdin leaves the stdin alone.
    const watcher = client({ stdin: false, tty: false });
    const watching = streaming.attach(id, watcher.streams);
    watcher.stdout.destroy();
    await watching;
    const c = client({ stdin: true, tty: false });
    const attached = streaming.attach(id, c.streams);
    await c.typeUntil('only\n', 'got:only\n');
    c.stdin.end();
    // The output goes on until the container, its stdin closed, has exited.
    await attached;
    expect(c.output()).toContain('stdin-closed\n');
    await eventually(
      'the container exited',
      async () => (await rt.backend.containerStatus(id)).state === 'CONTAINER_EXITED',
    );
    expect((await rt.backend.containerStatus(id)).exit_code).toBe(0);
  });
});
