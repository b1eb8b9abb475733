// The kubelet's /exec, /attach and /portForward on a real server socket: the options read as
// remotecommand reads them, the kubelet's refusals (and a runtime's gRPC errors as
// streaming.WriteError answers them), and the upgrade proxied to the URL the runtime gave. The
// runtime is a recorded state (which containers run, which sandboxes are ready) and a stand-in
// streaming server that upgrades and echoes; the real runtime is streaming.e2e.test.ts's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { realClock, type Pod } from '@skiff/api';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { Registry } from 'prom-client';
import { roundTrip, sendUpgrade, type UpgradeAnswer } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusOnlyRuntime } from '../cri/testing.js';
import type { RuntimeService, StreamingService, StreamRequest } from '../cri/index.js';
import { startKubeletServer, type KubeletServer } from './server.js';

const web: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
};

/** What the runtime has: `app` of web running as c1 in sandbox s1, unless a test says otherwise. */
interface RuntimeState {
  running: Partial<Container__Output>[];
  ready: Partial<PodSandbox__Output>[];
}

function recordedRuntime(state: RuntimeState): RuntimeService {
  return Object.assign(new StatusOnlyRuntime(), {
    listContainers: () => Promise.resolve(state.running as Container__Output[]),
    listPodSandbox: () => Promise.resolve(state.ready as PodSandbox__Output[]),
  });
}

interface Asked {
  readonly verb: string;
  readonly id: string;
  readonly cmd?: readonly string[];
  readonly streams?: StreamRequest;
  readonly ports?: readonly number[];
}

/** Answers every stream with `url`, or fails as a runtime's gRPC error. */
class RecordingStreams implements StreamingService {
  readonly asked: Asked[] = [];
  failure: { code: number; details: string } | undefined;
  constructor(readonly url: string) {}
  private answer(asked: Asked): Promise<string> {
    this.asked.push(asked);
    if (this.failure !== undefined) {
      return Promise.reject(Object.assign(new Error(this.failure.details), this.failure));
    }
    return Promise.resolve(this.url);
  }
  exec(id: string, cmd: readonly string[], streams: StreamRequest): Promise<string> {
    return this.answer({ verb: 'exec', id, cmd, streams });
  }
  attach(id: string, streams: StreamRequest): Promise<string> {
    return this.answer({ verb: 'attach', id, streams });
  }
  portForward(id: string, ports: readonly number[]): Promise<string> {
    return this.answer({ verb: 'portForward', id, ports });
  }
}

const SPDY = { connection: 'Upgrade', upgrade: 'SPDY/3.1' };

function send(url: string, method: string, upgrade: boolean): Promise<UpgradeAnswer> {
  return sendUpgrade(url, method, upgrade ? SPDY : {});
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setUp(): Promise<{
  base: string;
  runtime: RuntimeState;
  streams: RecordingStreams;
  streamPaths: string[];
}> {
  const streamPaths: string[] = [];
  const streamServer: Server = createServer((_req, res) => res.writeHead(400).end());
  streamServer.on('upgrade', (req, socket: Duplex) => {
    streamPaths.push(req.url ?? '');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
    );
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => streamServer.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    streamServer.closeAllConnections();
    await new Promise((resolve) => streamServer.close(resolve));
  });
  const streamPort = (streamServer.address() as AddressInfo).port;
  const runtime: RuntimeState = { running: [{ id: 'c1' }], ready: [{ id: 's1' }] };
  const streams = new RecordingStreams(`http://127.0.0.1:${streamPort}/exec/token1`);
  const server: KubeletServer = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    clock: realClock,
    lastRelist: () => 0,
    pods: {
      list: () => [web],
      get: (namespace, name) => (namespace === 'default' && name === 'web' ? web : undefined),
    },
    runtime: recordedRuntime(runtime),
    streaming: streams,
    log: () => undefined,
  });
  closers.push(() => server.close());
  return { base: `http://127.0.0.1:${server.port}`, runtime, streams, streamPaths };
}

describe('kubelet streaming endpoints', () => {
  it('refuses as the kubelet does', async () => {
    const { base, runtime, streams } = await setUp();
    const cases: [string, string, boolean, number, string][] = [
      ['POST', '/exec/default/web/app?command=ls&stdout=1', false, 400, 'Upgrade request required'],
      [
        'POST',
        '/exec/default/web/app?command=ls&stdout=true',
        true,
        400,
        'you must specify at least 1 of stdin, stdout, stderr',
      ],
      ['POST', '/exec/default/ghost/app?command=ls&stdout=1', true, 404, 'pod does not exist'],
      [
        'POST',
        '/exec/default/web?command=ls&stdout=1',
        true,
        400,
        'Expected /exec/<namespace>/<pod>/<container>',
      ],
      ['GET', '/portForward/default/web?port=http', true, 400, 'unable to parse "http" as a port'],
      ['PUT', '/attach/default/web/app?stdout=1', true, 404, '404 page not found\n'],
    ];
    for (const [method, path, upgrade, status, body] of cases) {
      expect({ path, ...(await send(base + path, method, upgrade)) }).toMatchObject({
        path,
        status,
        body,
      });
    }
    runtime.running = [];
    runtime.ready = [];
    expect(await send(`${base}/attach/default/web/app?stdout=1`, 'POST', true)).toMatchObject({
      status: 500,
      body: 'container not found ("app")',
    });
    expect(await send(`${base}/portForward/default/web`, 'POST', true)).toMatchObject({
      status: 500,
      body: 'pod not found ("web_default")',
    });
    runtime.running = [{ id: 'c1' }];
    streams.failure = { code: 5, details: 'container "c1" is gone' };
    expect(
      await send(`${base}/exec/default/web/app?command=ls&stdout=1`, 'POST', true),
    ).toMatchObject({
      status: 404,
      body: 'rpc error: code = NotFound desc = container "c1" is gone',
    });
    streams.failure = { code: 8, details: 'too many streams' };
    const exhausted = await send(`${base}/exec/default/web/app?command=ls&stdout=1`, 'POST', true);
    expect(exhausted).toMatchObject({
      status: 429,
      body: 'rpc error: code = ResourceExhausted desc = too many streams',
    });
    expect(exhausted.headers['retry-after']).toBe('60');
  });

  it('asks the runtime for a stream and proxies the upgrade to it', async () => {
    const { base, streams, streamPaths } = await setUp();
    const answer = await send(
      `${base}/exec/default/web/app?command=sh&command=-c&command=ls&stdin=1&stdout=1&stderr=1&tty=1`,
      'POST',
      true,
    );
    expect(answer.status).toBe(101);
    expect(await roundTrip(answer, 'frames')).toBe('frames');
    answer.socket?.destroy();
    const forwarded = await send(`${base}/portForward/default/web?port=80,8080`, 'GET', true);
    expect(forwarded.status).toBe(101);
    forwarded.socket?.destroy();
    expect(streams.asked).toEqual([
      // A TTY has no separate stderr.
      {
        verb: 'exec',
        id: 'c1',
        cmd: ['sh', '-c', 'ls'],
        streams: { stdin: true, stdout: true, stderr: false, tty: true },
      },
      { verb: 'portForward', id: 's1', ports: [80, 8080] },
    ]);
    // The runtime's one-time URL, with the request's own query (WebSocket port-forward reads it).
    expect(streamPaths).toEqual([
      '/exec/token1?command=sh&command=-c&command=ls&stdin=1&stdout=1&stderr=1&tty=1',
      '/exec/token1?port=80,8080',
    ]);
  });
});
