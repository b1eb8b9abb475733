// The streaming server on the process backend, through the whole runtime server: no root, no
// namespaces, so these run anywhere. Exec runs on the host with the container's environment,
// port-forward reaches the host's loopback, attach follows the log (or a container's terminal).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRuntimeServiceClient, unaryCall, type RuntimeServiceClient } from '@skiff/proto';
import { eventually } from '@skiff/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRuntimeServer, type RuntimeServer } from '../../cri/runtime-server.js';
import {
  dialChannels,
  dialSpdy,
  openSpdyCommand,
  parseStatus,
  readAll,
} from '../testing/streaming-client.js';

const V4 = 'v4.channel.k8s.io';
const opts = { timeoutMs: 10_000 };

describe('streaming on the process backend', () => {
  let dir: string;
  let server: RuntimeServer;
  let runtime: RuntimeServiceClient;
  let sandbox: string;
  let container: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-process-streaming-'));
    server = await startRuntimeServer({
      socket: join(dir, 'cri.sock'),
      root: join(dir, 'state'),
      backend: 'process',
      log: () => undefined,
    });
    runtime = newRuntimeServiceClient(server.socket);
    ({ pod_sandbox_id: sandbox } = await unaryCall(
      runtime,
      'RunPodSandbox',
      { config: { metadata: { name: 'p', namespace: 'default', uid: 'u' }, log_directory: dir } },
      opts,
    ));
    ({ container_id: container } = await unaryCall(
      runtime,
      'CreateContainer',
      {
        pod_sandbox_id: sandbox,
        config: {
          metadata: { name: 'ticker' },
          command: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'],
          envs: [{ key: 'GREETING', value: 'from the container' }],
          log_path: 'ticker.log',
        },
      },
      opts,
    ));
    await unaryCall(runtime, 'StartContainer', { container_id: container }, opts);
  });
  afterAll(async () => {
    await unaryCall(runtime, 'StopPodSandbox', { pod_sandbox_id: sandbox }, opts);
    await unaryCall(runtime, 'RemovePodSandbox', { pod_sandbox_id: sandbox }, opts);
    runtime.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const execUrl = async (cmd: string[], tty = false): Promise<string> =>
    (
      await unaryCall(
        runtime,
        'Exec',
        { container_id: container, cmd, stdin: tty, stdout: true, stderr: !tty, tty },
        opts,
      )
    ).url;

  it('execs with the container environment and reports the exit code', async () => {
    const answer = await dialSpdy(await execUrl(['sh', '-c', 'echo $GREETING; exit 4']), [V4]);
    if (answer.session === undefined) throw new Error(`HTTP ${answer.status}`);
    const command = await openSpdyCommand(answer.session, { stdout: true, stderr: true });
    expect((await command.stdout).toString()).toBe('from the container\n');
    expect(parseStatus(await command.error)).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '4' }] },
    });
  });

  it('gives a TTY exec a terminal of the client size', async () => {
    const session = await dialChannels(await execUrl(['sh', '-c', 'read x; stty size'], true), [
      'v5.channel.k8s.io',
    ]);
    session.send(4, JSON.stringify({ Width: 99, Height: 11 }));
    // The size is applied before or after the process starts; the line asks for it after.
    session.send(0, 'go\n');
    await session.closed;
    expect(session.received.get(1)?.toString()).toContain('11 99');
    expect(parseStatus(session.received.get(3)?.toString() ?? '').status).toBe('Success');
  });

  it('speaks the base64 WebSocket protocol: a digit for the channel, base64 after it', async () => {
    const url = await execUrl(['sh', '-c', 'echo binary-safe; exit 2']);
    const frames: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v4.base64.channel.k8s.io']);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) frames.push(data.toString());
      });
      ws.once('close', () => resolve());
      ws.once('error', reject);
    });
    const channel = (n: number): string =>
      frames
        .filter((f) => f.startsWith(String(n)))
        .map((f) => Buffer.from(f.slice(1), 'base64').toString())
        .join('');
    expect(channel(1)).toBe('binary-safe\n');
    expect(parseStatus(channel(3))).toMatchObject({ reason: 'NonZeroExitCode' });
  });

  it('attaches to the container output', async () => {
    const { url } = await unaryCall(
      runtime,
      'Attach',
      { container_id: container, stdout: true, stderr: true },
      opts,
    );
    const answer = await dialSpdy(url, [V4]);
    if (answer.session === undefined) throw new Error(`HTTP ${answer.status}`);
    const command = await openSpdyCommand(answer.session, { stdout: true, stderr: true });
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually('ticks', () => output.includes('tick\ntick\n'));
    await answer.session.close();
  });

  it('gives a container created with tty a terminal: logged as stdout, attached with input and resizes', async () => {
    const { container_id: tty } = await unaryCall(
      runtime,
      'CreateContainer',
      {
        pod_sandbox_id: sandbox,
        config: {
          metadata: { name: 'terminal' },
          command: [
            'sh',
            '-c',
            'test -t 0 && echo "a terminal, $TERM"; while read line; do echo "$(stty size) $line"; done',
          ],
          stdin: true,
          tty: true,
          log_path: 'terminal.log',
        },
      },
      opts,
    );
    await unaryCall(runtime, 'StartContainer', { container_id: tty }, opts);
    const { url } = await unaryCall(
      runtime,
      'Attach',
      { container_id: tty, stdin: true, stdout: true, tty: true },
      opts,
    );
    const session = await dialChannels(url, ['v5.channel.k8s.io']);
    session.send(4, JSON.stringify({ Width: 77, Height: 13 }));
    // The size and the line may reach the terminal in either order: type until one ran after it.
    await eventually('the line answered in a terminal of the client size', async () => {
      session.send(0, 'hello\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (session.received.get(1)?.toString() ?? '').includes('13 77 hello');
    });
    session.close();
    await session.closed;
    const { status } = await unaryCall(runtime, 'ContainerStatus', { container_id: tty }, opts);
    const log = await readFile(status?.log_path ?? '', 'utf8');
    expect(log).toMatch(/ stdout [FP] a terminal, xterm\r/);
    expect(log).toMatch(/ stdout [FP] 13 77 hello\r/);
    // A client leaving never closes the terminal: the container still runs.
    expect(status?.state).toBe('CONTAINER_RUNNING');
    await unaryCall(runtime, 'StopContainer', { container_id: tty, timeout: 0 }, opts);
  });

  it('forwards a port to the host loopback, and reports a refused one', async () => {
    const echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const { port } = echo.address() as AddressInfo;
    try {
      const { url } = await unaryCall(
        runtime,
        'PortForward',
        { pod_sandbox_id: sandbox, port: [port] },
        opts,
      );
      const answer = await dialSpdy(url, ['portforward.k8s.io']);
      const session = answer.session;
      if (session === undefined) throw new Error(`HTTP ${answer.status}`);
      const open = (type: string, to: number, id: string) =>
        session.openStream(
          new Map([
            ['streamtype', [type]],
            ['port', [String(to)]],
            ['requestid', [id]],
          ]),
        );
      const error = open('error', port, '1');
      error.end();
      const data = open('data', port, '1');
      data.end('echo me');
      expect((await readAll(data)).toString()).toBe('echo me');
      expect((await readAll(error)).length).toBe(0);

      const refusedError = open('error', 1, '2');
      refusedError.end();
      open('data', 1, '2').end();
      expect((await readAll(refusedError)).toString()).toContain('error forwarding port 1');
      await session.close();
    } finally {
      echo.close();
    }
  });
});
