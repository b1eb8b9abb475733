// pods/exec, pods/attach and pods/portforward up to the kubelet: the checks Kubernetes makes
// before it connects (pod, container, host, an upgrade at all), then the proxying itself —
// against a stand-in kubelet on a real socket that records what it was asked and either
// refuses as a kubelet does or switches protocols and echoes. (The real kubelet, runtime and
// kubectl are the kubelet's streaming e2e test.)
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { roundTrip, sendUpgrade as send } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, apiServerBackends } from './testing/api-fixture.js';
import { boundPod as bound, pod } from './testing/objects.js';

const pods = '/api/v1/namespaces/default/pods';
const SPDY = {
  connection: 'Upgrade',
  upgrade: 'SPDY/3.1',
  'x-stream-protocol-version': 'v4.channel.k8s.io',
};

const node = (port: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1' },
  status: {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
  },
});

/** A stand-in kubelet: refuses `/exec/default/gone/…` as a kubelet does, upgrades and echoes the rest. */
async function standInKubelet(): Promise<{
  server: Server;
  port: number;
  asked: string[];
  headers: IncomingHttpHeaders[];
}> {
  const asked: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((_req, res) => res.writeHead(400).end('Upgrade request required'));
  server.on('upgrade', (req, socket: Duplex) => {
    asked.push(`${req.method ?? ''} ${req.url ?? ''}`);
    headers.push(req.headers);
    if ((req.url ?? '').startsWith('/exec/default/gone/')) {
      const body = 'container not found ("app")';
      socket.end(
        `HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
    );
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, asked, headers };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe.each(apiServerBackends())('pods/exec, attach, portforward on $name storage', (backend) => {
  it('checks the pod, its container, its host and the upgrade before it connects', async () => {
    const { client, url } = await startApi(backend);
    await client.post(pods, pod('pending'));
    await client.post(pods, bound('one', ['app']));
    await client.post(pods, bound('two', ['a', 'b'], ['init']));
    const cases: [string, string, Record<string, string>, number, string][] = [
      ['POST', 'nope/exec?command=ls', SPDY, 404, 'pods "nope" not found'],
      ['POST', 'pending/exec?command=ls', SPDY, 400, 'pod pending does not have a host assigned'],
      ['POST', 'pending/portforward', SPDY, 400, 'pod pending does not have a host assigned'],
      [
        'POST',
        'two/exec?command=ls',
        SPDY,
        400,
        'a container name must be specified for pod two, choose one of: [init a b]',
      ],
      ['POST', 'two/attach?container=c', SPDY, 400, 'container c is not valid for pod two'],
      [
        'GET',
        'one/portforward?ports=0',
        SPDY,
        400,
        'invalid port "0": must be a number from 1 to 65535',
      ],
      // The only container is the default; the node it names does not exist.
      ['POST', 'one/exec?command=ls', SPDY, 404, 'nodes "n1" not found'],
      ['GET', 'two/attach?container=init', SPDY, 404, 'nodes "n1" not found'],
    ];
    for (const [method, path, headers, code, message] of cases) {
      const answer = await send(`${url}${pods}/${path}`, method, headers);
      expect({ path, code: answer.status, body: JSON.parse(answer.body) as unknown }).toMatchObject(
        {
          path,
          code,
          body: { kind: 'Status', code, message },
        },
      );
    }
    const put = await send(`${url}${pods}/one/exec`, 'PUT', SPDY);
    expect(put.status).toBe(405);
    await client.post('/api/v1/nodes', node(1));
    const plain = await send(`${url}${pods}/one/exec?command=ls`, 'POST', {});
    expect(JSON.parse(plain.body)).toMatchObject({
      code: 400,
      message: 'Upgrade request required',
    });
  });

  it('proxies the upgrade to the kubelet: its refusal as it wrote it, its 101 and the bytes after', async () => {
    const { client, url } = await startApi(backend);
    const kubelet = await standInKubelet();
    servers.push(kubelet.server);
    await client.post('/api/v1/nodes', node(kubelet.port));
    await client.post(pods, bound('gone', ['app']));
    await client.post(pods, bound('one', ['app']));

    const refused = await send(`${url}${pods}/gone/exec?command=ls&stdout=true`, 'POST', SPDY);
    expect(refused).toMatchObject({ status: 500, body: 'container not found ("app")' });

    const asked = `${pods}/one/exec?command=ls&command=-l&stdin=true&stdout=1&stderr=false&tty=0`;
    const upgraded = await send(`${url}${asked}`, 'POST', {
      ...SPDY,
      authorization: 'Bearer secret',
    });
    expect(upgraded.status).toBe(101);
    expect(upgraded.headers['x-stream-protocol-version']).toBe('v4.channel.k8s.io');
    expect(await roundTrip(upgraded, 'frames')).toBe('frames');
    upgraded.socket?.destroy();

    await client.post(pods, bound('web', ['app']));
    const forwarded = await send(
      `${url}${pods}/web/portforward?ports=8080&ports=9090`,
      'GET',
      SPDY,
    );
    expect(forwarded.status).toBe(101);
    forwarded.socket?.destroy();

    expect(kubelet.asked).toEqual([
      'POST /exec/default/gone/app?stdout=1&command=ls',
      'POST /exec/default/one/app?stdin=1&stdout=1&command=ls&command=-l',
      'GET /portForward/default/web?port=8080%2C9090',
    ]);
    // The client's credentials are for the apiserver, not passed on.
    expect(kubelet.headers[1]).not.toHaveProperty('authorization');
    expect(kubelet.headers[1]).toMatchObject({
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'v4.channel.k8s.io',
    });
  });

  it('says so when the kubelet cannot be reached', async () => {
    const { client, url } = await startApi(backend);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await client.post('/api/v1/nodes', node(port));
    await client.post(pods, bound('one', ['app']));
    const answer = await send(`${url}${pods}/one/exec?command=ls&stdout=1`, 'POST', SPDY);
    expect(JSON.parse(answer.body)).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: error dialing backend: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });
});
