// The kubelet's proxy to a runtime whose streaming server speaks HTTPS (containerd's
// enable_tls_streaming, skiff runtime --streaming-tls): the stream URL's certificate is verified,
// name included, as Kubernetes' kubelet verifies it, so a self-signed one is refused unless
// trusted (runtimeStreamingCA). First against a stand-in HTTPS streaming server that upgrades and
// echoes, then in front of a real skiff runtime on the process backend (no root) with the
// certificate it made, through which a real SPDY client execs.
import { createServer as createTlsServer, type Server } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { realClock, type Pod } from '@skiff/api';
import { roundTrip, selfSignedTestCertificate, sendUpgrade } from '@skiff/api/testing';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { startRuntimeServer, type RuntimeServer } from '@skiff/runtime';
import { dialSpdy, openSpdyCommand, parseStatus } from '@skiff/runtime/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { containerLabels, sandboxLabels } from '../container/labels.js';
import { RemoteCri, type RuntimeService, type StreamingService } from '../cri/index.js';
import { StatusOnlyRuntime } from '../cri/testing.js';
import { startKubeletServer } from './server.js';

const web: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
};
const podRef = { uid: 'uid-web', name: 'web', namespace: 'default' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A kubelet server for `web` in front of `runtime`; the base of its URLs. */
async function startKubelet(
  runtime: RuntimeService,
  streaming: StreamingService,
  runtimeStreamingCA: string | undefined,
): Promise<string> {
  const server = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    clock: realClock,
    lastRelist: () => 0,
    pods: {
      list: () => [web],
      get: (ns, name) => (ns === 'default' && name === 'web' ? web : undefined),
    },
    runtime,
    streaming,
    log: () => undefined,
    ...(runtimeStreamingCA !== undefined && { runtimeStreamingCA }),
  });
  closers.push(() => server.close());
  return `http://127.0.0.1:${server.port}`;
}

/** An HTTPS streaming server that switches protocols and echoes; its URL and certificate. */
async function tlsStreamServer(): Promise<{ url: string; cert: string }> {
  const pair = await selfSignedTestCertificate();
  const server: Server = createTlsServer(pair, (_req, res) => res.writeHead(400).end());
  server.on('upgrade', (_req, socket: Duplex) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
    );
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/exec/token1`, cert: pair.cert };
}

async function kubeletWith(streamUrl: string, runtimeStreamingCA?: string): Promise<string> {
  const runtime = Object.assign(new StatusOnlyRuntime(), {
    listContainers: () => Promise.resolve([{ id: 'c1' }] as Container__Output[]),
    listPodSandbox: () => Promise.resolve([{ id: 's1' }] as PodSandbox__Output[]),
  });
  const streaming: StreamingService = {
    exec: () => Promise.resolve(streamUrl),
    attach: () => Promise.resolve(streamUrl),
    portForward: () => Promise.resolve(streamUrl),
  };
  const base = await startKubelet(runtime, streaming, runtimeStreamingCA);
  return `${base}/exec/default/web/app?command=sh&stdout=1`;
}

const SPDY = { connection: 'Upgrade', upgrade: 'SPDY/3.1' };

describe('the kubelet proxying to an HTTPS streaming server', () => {
  it('joins the client to it when its certificate is trusted', async () => {
    const stream = await tlsStreamServer();
    const answer = await sendUpgrade(await kubeletWith(stream.url, stream.cert), 'POST', SPDY);
    expect(answer.status).toBe(101);
    expect(await roundTrip(answer, 'over tls')).toBe('over tls');
    answer.socket?.destroy();
  });

  it('refuses, saying why, when its certificate is not trusted', async () => {
    const stream = await tlsStreamServer();
    const answer = await sendUpgrade(await kubeletWith(stream.url), 'POST', SPDY);
    expect(answer).toMatchObject({
      status: 500,
      body: "error dialing the runtime's stream: self-signed certificate",
    });
  });

  it('refuses a certificate that is trusted but not for the address dialed', async () => {
    const stream = await tlsStreamServer();
    const elsewhere = stream.url.replace('127.0.0.1', 'localhost');
    const answer = await sendUpgrade(await kubeletWith(elsewhere, stream.cert), 'POST', SPDY);
    expect(answer.status).toBe(500);
    expect(answer.body).toContain("Hostname/IP does not match certificate's altnames");
  });
});

describe('kubelet exec through a runtime streaming over HTTPS', () => {
  let dir = '';
  let runtime: RuntimeServer;
  let cri: RemoteCri;
  let certificate = '';
  let sandbox = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-kubelet-tls-'));
    runtime = await startRuntimeServer({
      socket: join(dir, 'cri.sock'),
      root: join(dir, 'state'),
      backend: 'process',
      streamingTls: {},
      log: () => undefined,
    });
    certificate = await readFile(runtime.streamingCertificatePath ?? '', 'utf8');
    cri = new RemoteCri(`unix://${runtime.socket}`);
    const sandboxConfig = {
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 },
      labels: sandboxLabels(podRef),
      log_directory: join(dir, 'pods'),
    };
    sandbox = await cri.runPodSandbox(sandboxConfig);
    const container = await cri.createContainer(
      sandbox,
      {
        metadata: { name: 'app', attempt: 0 },
        command: ['sleep', '3600'],
        envs: [{ key: 'GREETING', value: 'through the kubelet' }],
        labels: containerLabels(podRef, 'app'),
        log_path: 'app.log',
      },
      sandboxConfig,
    );
    await cri.startContainer(container);
  });

  afterAll(async () => {
    // The process backend's pods outlive their runtime by design (a runtime restart adopts
    // them): left running, `sleep 3600` and its supervisor would stay behind on the machine.
    if (sandbox !== '') {
      await cri.stopPodSandbox(sandbox);
      await cri.removePodSandbox(sandbox);
    }
    cri?.close();
    await runtime?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function kubeletUrl(runtimeStreamingCA?: string): Promise<string> {
    const base = await startKubelet(cri, cri, runtimeStreamingCA);
    const command = ['sh', '-c', 'echo $GREETING; exit 5'].map(
      (c) => `command=${encodeURIComponent(c)}`,
    );
    return `${base}/exec/default/web/app?${command.join('&')}&stdout=1&stderr=1`;
  }

  it("execs over SPDY when the kubelet trusts the runtime's certificate", async () => {
    const answer = await dialSpdy(await kubeletUrl(certificate), ['v4.channel.k8s.io']);
    if (answer.session === undefined) throw new Error(`HTTP ${answer.status}: ${answer.body}`);
    const exec = await openSpdyCommand(answer.session, { stdout: true, stderr: true });
    expect((await exec.stdout).toString()).toBe('through the kubelet\n');
    expect(parseStatus(await exec.error)).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '5' }] },
    });
    await answer.session.close();
  });

  it("refuses the stream when the runtime's certificate is not trusted", async () => {
    const answer = await dialSpdy(await kubeletUrl(), ['v4.channel.k8s.io']);
    expect(answer).toMatchObject({
      status: 500,
      body: "error dialing the runtime's stream: self-signed certificate",
    });
  });
});
