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
    expect(entries.every((e) => e.stream === 'stdout' && e.tag === 'F')).toBe(true);
    // A terminal writes "\r\n" for "\n". containerd's logger drops the "\r" with the newline;
    // conmon (skiff's and CRI-O's log writer) ends the line at "\n" and keeps the "\r".
    const lines = entries.map((e) =>
      target().name === 'skiff' ? e.content.replace(/\r$/, '') : e.content,
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
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    command.resize?.write(JSON.stringify({ Width: 101, Height: 31 }));
    await eventually(
      'the line read by the container, with the new size',
      () => {
        command.stdin?.write('hello\n');
        return output.includes('got:hello') && output.includes('31 101');
      },
      { intervalMs: 200 },
    );
    // The terminal's own bytes: it echoes the input and ends lines with \r\n.
    expect(output).toContain('got:hello\r\n');
    // Ending the input of a TTY attach detaches; the container and its terminal live on.
    command.stdin?.end();
    expect(parseStatus(await command.error).status).toBe('Success');
    await command.session.close();
    expect((await containerStatus(target(), id)).state).toBe('CONTAINER_RUNNING');
    const again = await attachSpdy(id, { stdin: true, tty: true });
    let more = '';
    again.stdoutStream?.on('data', (chunk: Buffer) => (more += chunk.toString()));
    await eventually(
      'a second attach reaching the same terminal',
      () => {
        again.stdin?.write('again\n');
        return more.includes('got:again');
      },
      { intervalMs: 200 },
    );
    await again.session.close();
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
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      'the line read by the container',
      () => {
        command.stdin?.write('only\n');
        return output.includes('got:only\n');
      },
      { intervalMs: 200 },
    );
    command.stdin?.end();
    expect(parseStatus(await command.error).status).toBe('Success');
    await command.stdout;
    expect(output).toContain('stdin-closed\nexiting\n');
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
      let output = '';
      command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await eventually(
        `the ${word} attach reaching stdin`,
        () => {
          command.stdin?.write(`${word}\n`);
          return output.includes(`got:${word}\n`);
        },
        { intervalMs: 200 },
      );
      command.stdin?.end();
      expect(parseStatus(await command.error).status).toBe('Success');
      await command.session.close();
      expect(output).not.toContain('stdin-closed');
    }
    expect((await containerStatus(target(), id)).state).toBe('CONTAINER_RUNNING');
  });
}
