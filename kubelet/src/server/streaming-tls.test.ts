// The kubelet's proxy to a runtime whose streaming server speaks HTTPS (containerd's
// enable_tls_streaming, skiff runtime --streaming-tls): the stream URL's certificate is verified,
// as Kubernetes' kubelet verifies it, so a self-signed one is refused unless trusted; trusted
// (runtimeStreamingCA), the upgrade goes through and bytes flow both ways. The stand-in
// streaming server upgrades and echoes; the real one is in @skiff/runtime's tls-streaming.test.ts.
import { createServer as createTlsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { realClock, type Pod } from '@skiff/api';
import { roundTrip, selfSignedTestCertificate, sendUpgrade } from '@skiff/api/testing';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusOnlyRuntime } from '../cri/testing.js';
import type { StreamingService } from '../cri/index.js';
import { startKubeletServer } from './server.js';

const web: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

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
  return `http://127.0.0.1:${server.port}/exec/default/web/app?command=sh&stdout=1`;
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
