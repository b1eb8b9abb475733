// Containers created with a TTY, and attach reaching a container's stdin: a terminal's output in
// the CRI log, attach over SPDY and WebSocket with the client's input and terminal size, and
// stdin_once as containerd implements the CRI's promise (the container's stdin is closed when the
// first attach that had stdin ends its input, and only then; a terminal is never closed).
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { eventually } from '@skiff/api/testing';
import type { ContainerConfig } from '@skiff/proto';
import { expect, it } from 'vitest';
import {
  dialChannels,
  dialSpdy,
  openSpdyCommand,
  parseStatus,
  type SpdyCommand,
} from '../../../streaming/testing/streaming-client.js';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { containerStatus, makeContainer, sharedPod, startIn, waitForState } from '../pods.js';

const V4 = 'v4.channel.k8s.io';
// Channels of the WebSocket remotecommand protocol.
const STDIN = 0;
const STDOUT = 1;
const RESIZE = 4;
// Reads lines and answers each with what it read and the terminal's size (rows columns).
const ECHO_WITH_SIZE = 'while read line; do echo "got:$line"; stty size; done';
const ECHO_UNTIL_EOF = 'while read line; do echo "got:$line"; done; echo stdin-closed';

/** A log line's stream and content: `<time> <stream> <F|P> <content>`. */
function logEntries(text: string): { stream: string; tag: string; content: string }[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^\S+ (stdout|stderr) (F|P) ([^\n]*)$/.exec(line);
      if (m === null) throw new Error(`not a CRI log line: ${JSON.stringify(line)}`);
      return { stream: m[1] ?? '', tag: m[2] ?? '', content: m[3] ?? '' };
    });
}

/** The lines a log's entries make: partial entries (P) joined to the full one (F) that ends them. */
function fullLines(entries: readonly { tag: string; content: string }[]): string[] {
  const lines: string[] = [];
  let partial = '';
  for (const entry of entries) {
    partial += entry.content;
    if (entry.tag === 'F') {
      lines.push(partial);
      partial = '';
    }
  }
  return partial === '' ? lines : [...lines, partial];
}

/** An attached command's stdout so far, and input typed until the container has answered. */
interface Typist {
  output(): string;
  /** Writes `line` every 200 ms (the container may not read yet) until stdout shows `expected`. */
  typeUntil(line: string, ...expected: string[]): Promise<unknown>;
}

function typist(command: SpdyCommand): Typist {
  let output = '';
  command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    output: () => output,
    typeUntil: (line, ...expected) =>
      eventually(
        `${expected.join(' and ')} on stdout`,
        () => {
          command.stdin?.write(line);
          return expected.every((e) => output.includes(e));
        },
        { intervalMs: 200 },
      ),
  };
}

export function terminalCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'terminals');
  const start = (config: ContainerConfig): Promise<string> => startIn(target(), shared, config);

  const attachSpdy = async (
    id: string,
    request: { stdin: boolean; tty: boolean },
  ): Promise<SpdyCommand> => {
    const { url } = await runtimeCall(target(), 'Attach', {
      container_id: id,
      stdin: request.stdin,
      stdout: true,
      stderr: !request.tty,
      tty: request.tty,
    });
    const answer = await dialSpdy(url, [V4]);
    if (answer.session === undefined) throw new Error(`no upgrade: HTTP ${answer.status}`);
    return openSpdyCommand(answer.session, {
      stdin: request.stdin,
      stdout: true,
      stderr: !request.tty,
      tty: request.tty,
    });
  };

  it('logs the output of a container with a TTY as stdout, one entry per line', async () => {
    const id = await start({
      ...makeContainer(
        target(),
        'tty-log',
        'test -t 1 && echo "on a terminal"; echo "second line"',
      ),
      tty: true,
    });
    await waitForState(target(), id, 'CONTAINER_EXITED');
    const { pod } = await shared();
    const entries = logEntries(await readFile(join(pod.logDirectory, 'tty-log.log'), 'utf8'));
    expect(entries.map((e) => e.stream)).toEqual(entries.map(() => 'stdout'));
    // The CRI log format lets a writer cut a line into partial entries (P) ended by a full one
    // (F): conmon does when one read of the terminal ends inside a line, so join them first.
    // A terminal writes "\r\n" for "\n". containerd's logger drops the "\r" with the newline;
    // conmon (skiff's and CRI-O's log writer) ends the line at "\n" and keeps the "\r".
    const lines = fullLines(entries).map((line) =>
      target().name === 'skiff' ? line.replace(/\r$/, '') : line,
    );
    expect(lines).toEqual(['on a terminal', 'second line']);
  });

  it('attach over SPDY with a TTY: input reaches the container terminal, which follows resizes', async () => {
    const id = await start({
      ...makeContainer(target(), 'tty-attach', ECHO_WITH_SIZE),
      tty: true,
      stdin: true,
    });
    await waitForState(target(), id, 'CONTAINER_RUNNING');
    const command = await attachSpdy(id, { stdin: true, tty: true });
    const io = typist(command);
    command.resize?.write(JSON.stringify({ Width: 101, Height: 31 }));
    await io.typeUntil('hello\n', 'got:hello', '31 101');
    // The terminal's own bytes: it echoes the input and ends lines with \r\n.
    expect(io.output()).toContain('got:hello\r\n');
    // Ending the input of a TTY attach detaches; the container and its terminal live on.
    command.stdin?.end();
    expect(parseStatus(await command.error).status).toBe('Success');
    await command.session.close();
    expect((await containerStatus(target(), id)).state).toBe('CONTAINER_RUNNING');
    const again = await attachSpdy(id, { stdin: true, tty: true });
    await typist(again).typeUntil('again\n', 'got:again');
    await again.session.close();
  });

  it('attach with a TTY: of two sizes sent back to back the terminal keeps the second (kubectl sends its own plus one, then its own)', async () => {
    const id = await start({
      ...makeContainer(target(), 'tty-resize-twice', ECHO_WITH_SIZE),
      tty: true,
      stdin: true,
    });
    await waitForState(target(), id, 'CONTAINER_RUNNING');
    const command = await attachSpdy(id, { stdin: true, tty: true });
    const io = typist(command);
    command.resize?.write(JSON.stringify({ Width: 112, Height: 38 }));
    command.resize?.write(JSON.stringify({ Width: 111, Height: 37 }));
    await io.typeUntil('sized\n', 'got:sized', '37 111');
    command.stdin?.end();
    await command.session.close();
  });

  it('attach over WebSocket with a TTY: stdin, stdout and resize on their channels', async () => {
    const id = await start({
      ...makeContainer(target(), 'tty-ws', ECHO_WITH_SIZE),
      tty: true,
      stdin: true,
    });
    await waitForState(target(), id, 'CONTAINER_RUNNING');
    const { url } = await runtimeCall(target(), 'Attach', {
      container_id: id,
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
    const session = await dialChannels(url, [V4]);
    session.send(RESIZE, JSON.stringify({ Width: 77, Height: 22 }));
    await eventually(
      'the line and the size on the stdout channel',
      () => {
        session.send(STDIN, 'over websocket\n');
        const out = session.received.get(STDOUT)?.toString() ?? '';
        return out.includes('got:over websocket') && out.includes('22 77');
      },
      { intervalMs: 200 },
    );
    session.close();
    await session.closed;
  });

  it('stdin_once: ending the first attach input closes the container stdin, and output goes on until it exits', async () => {
    const id = await start({
      ...makeContainer(target(), 'stdin-once', `${ECHO_UNTIL_EOF}; sleep 1; echo exiting`),
      stdin: true,
      stdin_once: true,
    });
    await waitForState(target(), id, 'CONTAINER_RUNNING');
    // An attach without stdin comes and goes: the container's stdin stays open.
    const watcher = await attachSpdy(id, { stdin: false, tty: false });
    await watcher.session.close();
    const command = await attachSpdy(id, { stdin: true, tty: false });
    const io = typist(command);
    await io.typeUntil('only\n', 'got:only\n');
    command.stdin?.end();
    expect(parseStatus(await command.error).status).toBe('Success');
    await command.stdout;
    expect(io.output()).toContain('stdin-closed\nexiting\n');
    const status = await waitForState(target(), id, 'CONTAINER_EXITED');
    expect(status.exit_code).toBe(0);
  });

  it('without stdin_once the container stdin outlives each attach', async () => {
    const id = await start({
      ...makeContainer(target(), 'stdin-kept', ECHO_UNTIL_EOF),
      stdin: true,
    });
    await waitForState(target(), id, 'CONTAINER_RUNNING');
    for (const word of ['first', 'second']) {
      const command = await attachSpdy(id, { stdin: true, tty: false });
      const io = typist(command);
      await io.typeUntil(`${word}\n`, `got:${word}\n`);
      command.stdin?.end();
      expect(parseStatus(await command.error).status).toBe('Success');
      await command.session.close();
      expect(io.output()).not.toContain('stdin-closed');
    }
    expect((await containerStatus(target(), id)).state).toBe('CONTAINER_RUNNING');
  });
}
