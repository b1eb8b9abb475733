// Exec, Attach and PortForward through the runtime's streaming server, with a client speaking
// SPDY/3.1 and WebSocket on the wire (../../../streaming/testing/streaming-client.ts), asserting
// what the CRI and Kubernetes' streaming protocols promise: output, stdin, exit codes as a
// metav1.Status on the error stream, a TTY that follows resizes, port-forward to a server in the
// pod's network namespace, one-time tokens, and malformed frames refused without harm.
import { eventually } from '@skiff/api/testing';
import { expect, it } from 'vitest';
import { encodeFrame, synStreamFrame } from '../../../streaming/spdy/frames.js';
import {
  dialChannels,
  dialSpdy,
  openSpdyCommand,
  parseStatus,
  readAll,
  type UpgradeAnswer,
} from '../../../streaming/testing/streaming-client.js';
import type { SpdySession } from '../../../streaming/spdy/connection.js';
import { grpcError, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, sharedPod, startIn } from '../pods.js';

const V4 = 'v4.channel.k8s.io';
const HTTP_PORT = 8080;
const PAGE = 'served from inside the pod';

function sessionOf(answer: UpgradeAnswer): SpdySession {
  if (answer.session === undefined) {
    throw new Error(`no upgrade: HTTP ${answer.status} ${answer.body}`);
  }
  return answer.session;
}

export function streamingCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'streaming');
  let sleeper: Promise<string> | undefined;
  let server: Promise<string> | undefined;
  const container = (): Promise<string> =>
    (sleeper ??= startIn(target(), shared, makeContainer(target(), 'stream-target', 'sleep 3600')));
  // busybox httpd on the pod's loopback and address, serving one page.
  const webServer = (): Promise<string> =>
    (server ??= startIn(
      target(),
      shared,
      makeContainer(
        target(),
        'stream-web',
        `mkdir -p /www && echo '${PAGE}' > /www/index.html && exec httpd -f -p ${HTTP_PORT} -h /www`,
      ),
    ));

  const execUrl = async (cmd: string[], options: Record<string, boolean>): Promise<string> => {
    const { url } = await runtimeCall(target(), 'Exec', {
      container_id: await container(),
      cmd,
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
      ...options,
    });
    return url;
  };

  it('Exec returns a URL on the runtime streaming server', async () => {
    const url = await execUrl(['true'], {});
    expect(url).toMatch(/^http:\/\/[^/]+\/exec\/[A-Za-z0-9_-]+$/);
  });

  it('exec over SPDY v4: stdout, stderr, and a non-zero exit as NonZeroExitCode with the code', async () => {
    const url = await execUrl(['sh', '-c', 'echo to stdout; echo to stderr >&2; exit 3'], {});
    const answer = await dialSpdy(url, [V4]);
    expect(answer.status).toBe(101);
    expect(answer.headers['x-stream-protocol-version']).toBe(V4);
    const command = await openSpdyCommand(sessionOf(answer), { stdout: true, stderr: true });
    expect((await command.stdout).toString()).toBe('to stdout\n');
    expect((await command.stderr).toString()).toBe('to stderr\n');
    const status = parseStatus(await command.error);
    expect(status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('exec over SPDY: success is a Success status', async () => {
    const answer = await dialSpdy(await execUrl(['echo', 'fine'], {}), [V4]);
    const command = await openSpdyCommand(sessionOf(answer), { stdout: true, stderr: true });
    expect((await command.stdout).toString()).toBe('fine\n');
    expect(parseStatus(await command.error).status).toBe('Success');
  });

  it('exec over SPDY: stdin reaches the command, and closing it ends the input', async () => {
    const answer = await dialSpdy(await execUrl(['cat'], { stdin: true }), [V4]);
    const command = await openSpdyCommand(sessionOf(answer), {
      stdin: true,
      stdout: true,
      stderr: true,
    });
    command.stdin?.end('echoed through cat\n');
    expect((await command.stdout).toString()).toBe('echoed through cat\n');
    expect(parseStatus(await command.error).status).toBe('Success');
  });

  it('a client that goes away ends the input of its exec', async () => {
    const marker = `cat-${Date.now()}`;
    // `cat` reads stdin first; the second argument only makes it recognisable in ps.
    const url = await execUrl(['cat', '-', `/tmp/${marker}`], { stdin: true });
    const command = await openSpdyCommand(sessionOf(await dialSpdy(url, [V4])), {
      stdin: true,
      stdout: true,
      stderr: true,
    });
    const running = async (): Promise<boolean> => {
      const { stdout } = await runtimeCall(target(), 'ExecSync', {
        container_id: await container(),
        cmd: ['ps', '-o', 'args'],
        timeout: 10,
      });
      return stdout.toString().includes(`/tmp/${marker}`);
    };
    await eventually('the exec running', running);
    await command.session.close();
    await eventually('the exec gone with its client', async () => !(await running()));
  });

  it('exec with a TTY: a terminal inside the container that follows resizes', async () => {
    const url = await execUrl(
      ['sh', '-c', 'test -t 0 && echo is-a-tty; while read line; do stty size; done'],
      { stdin: true, stderr: false, tty: true },
    );
    const command = await openSpdyCommand(sessionOf(await dialSpdy(url, [V4])), {
      stdin: true,
      stdout: true,
      tty: true,
    });
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    command.resize?.write(JSON.stringify({ Width: 123, Height: 45 }));
    // The resize and the input travel separately: ask again until the size has arrived.
    await eventually(
      'the resized terminal',
      () => {
        command.stdin?.write('\n');
        return output.includes('45 123');
      },
      { intervalMs: 200 },
    );
    expect(output).toContain('is-a-tty');
    command.stdin?.write('exit\n');
    command.stdin?.end();
    await command.session.close();
  });

  it('exec over WebSocket v4: output on its channels and the exit code on the error channel', async () => {
    const url = await execUrl(['sh', '-c', 'echo out; echo err >&2; exit 7'], {});
    const session = await dialChannels(url, [V4]);
    expect(session.protocol).toBe(V4);
    await session.closed;
    expect(session.received.get(1)?.toString()).toBe('out\n');
    expect(session.received.get(2)?.toString()).toBe('err\n');
    expect(parseStatus(session.received.get(3)?.toString() ?? '')).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('exec over WebSocket drops frames on channels the client may not write to, and goes on', async () => {
    const url = await execUrl(['head', '-n', '1'], { stdin: true });
    const session = await dialChannels(url, [V4]);
    session.send(9, 'for a channel nobody reads\n');
    session.send(1, 'clients do not write to stdout\n');
    session.send(0, 'the line that counts\n');
    await session.closed;
    expect(session.received.get(1)?.toString()).toBe('the line that counts\n');
    expect(parseStatus(session.received.get(3)?.toString() ?? '').status).toBe('Success');
  });

  it('exec over WebSocket v5: the close signal ends stdin', async () => {
    // v5 (Kubernetes 1.30) postdates containerd 1.6's streaming server, which answers v4.
    const url = await execUrl(['cat'], { stdin: true });
    const session = await dialChannels(url, ['v5.channel.k8s.io', V4]);
    if (target().name === 'containerd') {
      expect(session.protocol).toBe(V4);
      session.close();
      return;
    }
    expect(session.protocol).toBe('v5.channel.k8s.io');
    session.send(0, 'through stdin\n');
    session.send(255, Buffer.from([0]));
    await session.closed;
    expect(session.received.get(1)?.toString()).toBe('through stdin\n');
    expect(parseStatus(session.received.get(3)?.toString() ?? '').status).toBe('Success');
  });

  it('a token works once: the second use, and a made-up one, get 404', async () => {
    const url = await execUrl(['true'], {});
    const first = await dialSpdy(url, [V4]);
    const command = await openSpdyCommand(sessionOf(first), { stdout: true, stderr: true });
    await command.error;
    const again = await dialSpdy(url, [V4]);
    expect(again.status).toBe(404);
    const forged = await dialSpdy(url.replace(/[^/]+$/, 'AAAAAAAAAAA'), [V4]);
    expect(forged.status).toBe(404);
  });

  it('Exec refuses a TTY with stderr, and a container that is not running', async () => {
    const err = await grpcError(
      runtimeCall(target(), 'Exec', {
        container_id: await container(),
        cmd: ['true'],
        stdout: true,
        stderr: true,
        tty: true,
      }),
    );
    expect(err.message).toContain('tty and stderr cannot both be true');
    const missing = await grpcError(
      runtimeCall(target(), 'Exec', {
        container_id: 'no-such-container',
        cmd: ['true'],
        stdout: true,
      }),
    );
    expect(missing.code).not.toBe(0);
  });

  it('malformed SPDY frames harm only their own session: the next exec works', async () => {
    // What the server does with the broken session is its choice (skiff sends GOAWAY and closes
    // it); the promise is that the runtime lives on.
    const broken = sessionOf(await dialSpdy(await execUrl(['sleep', '30'], {}), [V4]));
    const wrongVersion = encodeFrame({ kind: 'ping', id: 1 });
    wrongVersion.writeUInt16BE(0x8002, 0);
    const garbageHeaders = encodeFrame(synStreamFrame(1, Buffer.from('not a zlib stream at all')));
    await broken.sendRaw(garbageHeaders);
    await broken.sendRaw(wrongVersion);
    const truncated = sessionOf(await dialSpdy(await execUrl(['sleep', '30'], {}), [V4]));
    await truncated.sendRaw(
      Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00]),
    );
    const answer = await dialSpdy(await execUrl(['echo', 'still serving'], {}), [V4]);
    const command = await openSpdyCommand(sessionOf(answer), { stdout: true, stderr: true });
    expect((await command.stdout).toString()).toBe('still serving\n');
    await broken.close();
    await truncated.close();
    expect((await runtimeCall(target(), 'Version', {})).runtime_api_version).toBe('v1');
  });

  it('attach streams what the container writes from now on', async () => {
    const ticker = await startIn(
      target(),
      shared,
      makeContainer(target(), 'stream-ticker', 'while true; do echo tick; sleep 0.2; done'),
    );
    const { url } = await runtimeCall(target(), 'Attach', {
      container_id: ticker,
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
    const command = await openSpdyCommand(sessionOf(await dialSpdy(url, [V4])), {
      stdout: true,
      stderr: true,
    });
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually('ticks through attach', () => output.includes('tick\ntick\n'));
    await command.session.close();
  });

  it('attach reaches the stdin of a container created with stdin', async () => {
    const echo = await startIn(target(), shared, {
      ...makeContainer(target(), 'stream-stdin', 'exec cat'),
      stdin: true,
    });
    const { url } = await runtimeCall(target(), 'Attach', {
      container_id: echo,
      stdin: true,
      stdout: true,
      stderr: true,
      tty: false,
    });
    const command = await openSpdyCommand(sessionOf(await dialSpdy(url, [V4])), {
      stdin: true,
      stdout: true,
      stderr: true,
    });
    let output = '';
    command.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    command.stdin?.write('typed into attach\n');
    await eventually('the container echoing its stdin', () =>
      output.includes('typed into attach\n'),
    );
    await command.session.close();
  });

  it('port-forward over SPDY reaches a server listening in the pod', async () => {
    await webServer();
    const { id } = await shared();
    const { url } = await runtimeCall(target(), 'PortForward', {
      pod_sandbox_id: id,
      port: [HTTP_PORT],
    });
    const answer = await dialSpdy(url, ['portforward.k8s.io']);
    expect(answer.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
    const session = sessionOf(answer);
    // The server may still be starting: each attempt is a new pair of streams, as kubectl opens
    // one per connection.
    let request = 0;
    const page = await eventually(
      'the page through port-forward',
      async () => {
        request++;
        const headers = (type: string): Map<string, string[]> =>
          new Map([
            ['streamtype', [type]],
            ['port', [String(HTTP_PORT)]],
            ['requestid', [String(request)]],
          ]);
        const error = session.openStream(headers('error'));
        error.end();
        const data = session.openStream(headers('data'));
        await Promise.all([error.ready, data.ready]);
        data.end('GET / HTTP/1.0\r\n\r\n');
        const [body, failure] = await Promise.all([readAll(data), readAll(error)]);
        return failure.length === 0 && body.toString().includes(PAGE) ? body.toString() : undefined;
      },
      { intervalMs: 200 },
    );
    expect(page).toContain('200 OK');
    await session.close();
  });

  it('port-forward to a port nobody listens on reports it on the error stream', async () => {
    const { id } = await shared();
    const { url } = await runtimeCall(target(), 'PortForward', { pod_sandbox_id: id, port: [] });
    const session = sessionOf(await dialSpdy(url, ['portforward.k8s.io']));
    const headers = (type: string): Map<string, string[]> =>
      new Map([
        ['streamtype', [type]],
        ['port', ['9']],
        ['requestid', ['1']],
      ]);
    const error = session.openStream(headers('error'));
    error.end();
    const data = session.openStream(headers('data'));
    await Promise.all([error.ready, data.ready]);
    data.end();
    const failure = (await readAll(error)).toString();
    expect(failure).toMatch(/9/);
    expect(failure.length).toBeGreaterThan(0);
    await session.close();
  });

  it('port-forward over WebSocket: the port number first, then the data', async () => {
    await webServer();
    const { id } = await shared();
    const page = await eventually(
      'the page through a WebSocket port-forward',
      async () => {
        const { url } = await runtimeCall(target(), 'PortForward', {
          pod_sandbox_id: id,
          port: [HTTP_PORT],
        });
        const session = await dialChannels(`${url}?port=${HTTP_PORT}`, [V4]);
        session.send(0, 'GET / HTTP/1.0\r\n\r\n');
        const body = await eventually(
          'an answer',
          () => {
            const data = session.received.get(0);
            return data !== undefined &&
              data.length > 2 &&
              data.subarray(2).toString().includes(PAGE)
              ? data
              : undefined;
          },
          { timeoutMs: 5000 },
        ).catch(() => undefined);
        session.close();
        return body;
      },
      { intervalMs: 200 },
    );
    expect(page.readUInt16LE(0)).toBe(HTTP_PORT);
  });
}
