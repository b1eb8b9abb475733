// When an attach through conmon's socket ends, and where its bytes go, on a connection double
// that records what the attach asked of conmon. The real socket and conmon are exercised in
// linux-attach.test.ts and the shared CRI suite.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AttachOutput, ConmonAttachConnection } from '../../linux/conmon-attach.js';
import type { ContainerStdio } from '../../linux/index.js';
import type { TerminalSize } from '../remotecommand/terminal-size.js';
import type { ProcessStreams } from '../streaming-runtime.js';
import { attachThroughConmon } from './attach-through-conmon.js';

class RecordingConnection implements ConmonAttachConnection {
  readonly written: Buffer[] = [];
  inputEnded = false;
  closedByUs = false;
  private readonly listeners: ((output: AttachOutput) => void)[] = [];
  private conmonGone: () => void = () => undefined;
  readonly closed = new Promise<void>((resolve) => (this.conmonGone = resolve));

  onOutput(listener: (output: AttachOutput) => void): void {
    this.listeners.push(listener);
  }
  write(chunk: Buffer): void {
    this.written.push(chunk);
  }
  endInput(): void {
    this.inputEnded = true;
  }
  close(): void {
    this.closedByUs = true;
    this.conmonGone();
  }
  /** What conmon would send. */
  emit(stream: AttachOutput['stream'], text: string): void {
    this.listeners.forEach((l) => l({ stream, data: Buffer.from(text) }));
  }
  /** The container exits: conmon closes the connection. */
  exit(): void {
    this.conmonGone();
  }
}

interface Session {
  readonly connection: RecordingConnection;
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly resizes: TerminalSize[];
  readonly ended: Promise<void>;
  isOver(): boolean;
  sendSize(size: TerminalSize): void;
  read(stream: PassThrough): string;
}

function attach(
  stdio: ContainerStdio,
  resize: (size: TerminalSize) => Promise<void> = () => Promise.resolve(),
): Session {
  const connection = new RecordingConnection();
  const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
  const resizes: TerminalSize[] = [];
  let sizeListener: ((size: TerminalSize) => void) | undefined;
  const streams: ProcessStreams = {
    stdin,
    stdout,
    stderr: stdio.tty ? undefined : stderr,
    tty: stdio.tty,
    onResize: (listener) => (sizeListener = listener),
  };
  let over = false;
  const ended = attachThroughConmon({
    connection,
    stdio,
    streams,
    resize: (size) => {
      resizes.push(size);
      return resize(size);
    },
  }).finally(() => (over = true));
  return {
    connection,
    stdin,
    stdout,
    stderr,
    resizes,
    ended,
    isOver: () => over,
    sendSize: (size) => sizeListener?.(size),
    read: (stream) => (stream.read() as Buffer | null)?.toString() ?? '',
  };
}

/** Lets pending stream events and promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const pipeStdin: ContainerStdio = { stdin: true, stdinOnce: false, tty: false };

describe('attach through conmon', () => {
  it('passes stdout and stderr apart, and the client input to the container', async () => {
    const s = attach(pipeStdin);
    s.connection.emit('stdout', 'out\n');
    s.connection.emit('stderr', 'err\n');
    s.stdin.write('typed\n');
    await settle();
    expect(s.read(s.stdout)).toBe('out\n');
    expect(s.read(s.stderr)).toBe('err\n');
    expect(Buffer.concat(s.connection.written).toString()).toBe('typed\n');
    s.connection.exit();
    await s.ended;
  });

  it('ends when the container exits', async () => {
    const s = attach(pipeStdin);
    await settle();
    expect(s.isOver()).toBe(false);
    s.connection.exit();
    await s.ended;
  });

  it('ends and leaves the container stdin open when the client ends its input (no stdin_once)', async () => {
    const s = attach(pipeStdin);
    s.stdin.end();
    await s.ended;
    expect(s.connection.inputEnded).toBe(false);
    expect(s.connection.closedByUs).toBe(true);
  });

  it('closes the container stdin and keeps streaming output for stdin_once without a TTY', async () => {
    const s = attach({ stdin: true, stdinOnce: true, tty: false });
    s.stdin.end('last line\n');
    await settle();
    expect(s.connection.inputEnded).toBe(true);
    expect(s.isOver()).toBe(false);
    s.connection.emit('stdout', 'after stdin closed\n');
    await settle();
    expect(s.read(s.stdout)).toBe('after stdin closed\n');
    s.connection.exit();
    await s.ended;
  });

  it('with a TTY and stdin_once, ending the input only detaches (a terminal is never closed)', async () => {
    const s = attach({ stdin: true, stdinOnce: true, tty: true });
    s.stdin.end();
    await s.ended;
    expect(s.connection.inputEnded).toBe(false);
  });

  it('discards the input of a container created without stdin', async () => {
    const s = attach({ stdin: false, stdinOnce: false, tty: false });
    s.stdin.write('nowhere to go\n');
    s.stdin.end();
    await settle();
    expect(s.connection.written).toEqual([]);
    expect(s.isOver()).toBe(false);
    s.connection.exit();
    await s.ended;
  });

  it('ends when the client goes away, closing the connection', async () => {
    const s = attach(pipeStdin);
    s.stdout.destroy();
    await s.ended;
    expect(s.connection.closedByUs).toBe(true);
  });

  it('ends at once for a client that left before the attach began', async () => {
    const connection = new RecordingConnection();
    const stdout = new PassThrough();
    stdout.destroy();
    await attachThroughConmon({
      connection,
      stdio: pipeStdin,
      streams: {
        stdin: undefined,
        stdout,
        stderr: undefined,
        tty: false,
        onResize: () => undefined,
      },
      resize: () => Promise.resolve(),
    });
    expect(connection.closedByUs).toBe(true);
  });

  it('sends a TTY its output on stdout and the client terminal sizes to the container', async () => {
    const s = attach({ stdin: true, stdinOnce: false, tty: true });
    s.sendSize({ width: 100, height: 30 });
    s.connection.emit('stdout', 'prompt $ ');
    await settle();
    expect(s.read(s.stdout)).toBe('prompt $ ');
    expect(s.resizes).toEqual([{ width: 100, height: 30 }]);
    s.connection.exit();
    await s.ended;
  });

  it('passes input sent after a resize on only once the terminal has been resized', async () => {
    let resized: () => void = () => undefined;
    const s = attach(
      { stdin: true, stdinOnce: false, tty: true },
      () => new Promise<void>((resolve) => (resized = resolve)),
    );
    s.sendSize({ width: 80, height: 24 });
    s.stdin.write('stty size\n');
    await settle();
    expect(s.connection.written).toEqual([]);
    resized();
    await settle();
    expect(Buffer.concat(s.connection.written).toString()).toBe('stty size\n');
    s.connection.exit();
    await s.ended;
  });

  it('ignores a resize that finds conmon gone, and fails on any other resize error', async () => {
    const gone = attach({ stdin: true, stdinOnce: false, tty: true }, () =>
      Promise.reject(Object.assign(new Error('no reader'), { code: 'ENXIO' })),
    );
    gone.sendSize({ width: 1, height: 1 });
    await settle();
    expect(gone.isOver()).toBe(false);
    gone.connection.exit();
    await gone.ended;

    const broken = attach({ stdin: true, stdinOnce: false, tty: true }, () =>
      Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })),
    );
    broken.sendSize({ width: 1, height: 1 });
    await expect(broken.ended).rejects.toThrow("resizing the container's terminal: denied");
  });
});
