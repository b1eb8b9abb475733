// HttpTransport against a bare node:http server: where requests go (the server URL's host, port
// and path prefix), how a body that never completes is reported, and ending a request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HttpTransport, readBody } from './transport.js';

async function serve(
  host: string,
  handler: http.RequestListener,
): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, paths };
}

const ok: http.RequestListener = (_req, res) => res.end('{"ok":true}');

describe('HttpTransport', () => {
  it.each([
    ['an IPv4 host', '127.0.0.1', (port: number) => `http://127.0.0.1:${port}`, '/api/v1/pods'],
    [
      'a path prefix',
      '127.0.0.1',
      (port: number) => `http://127.0.0.1:${port}/k8s/`,
      '/k8s/api/v1/pods',
    ],
  ])('sends to %s', async (_what, host, url, expectedPath) => {
    const { port, paths } = await serve(host, ok);
    const transport = new HttpTransport(url(port));
    onTestFinished(() => transport.close());
    const res = await transport.send({
      method: 'GET',
      path: '/api/v1/pods',
      headers: {},
    });
    expect(await readBody(res)).toBe('{"ok":true}');
    expect(paths).toEqual([expectedPath]);
  });

  it('fails reading a body the server cut off before its end', async () => {
    const { port } = await serve('127.0.0.1', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setImmediate(() => res.destroy());
    });
    const transport = new HttpTransport(`http://127.0.0.1:${port}`);
    onTestFinished(() => transport.close());
    const res = await transport.send({
      method: 'GET',
      path: '/',
      headers: {},
    });
    await expect(readBody(res)).rejects.toThrow();
  });

  it('hands out an abort that ends a request whose answer is still arriving', async () => {
    const { port } = await serve('127.0.0.1', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
    });
    const transport = new HttpTransport(`http://127.0.0.1:${port}`);
    onTestFinished(() => transport.close());
    let abort: ((reason: Error) => void) | undefined;
    const res = await transport.send({
      method: 'GET',
      path: '/',
      headers: {},
      abortable: (fn) => (abort = fn),
    });
    const body = readBody(res);
    abort?.(new Error('no answer within 5000 ms'));
    await expect(body).rejects.toThrow();
  });
});

describe('HttpTransport on a kept-alive connection the server closes', () => {
  /**
   * A server that answers the first request of each connection and, like a server whose idle
   * timeout fired just then, closes the connection without reading any later one.
   */
  async function closingIdle(): Promise<{ port: number; served: string[] }> {
    const served: string[] = [];
    const server = http.createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { answered?: boolean };
      if (socket.answered === true) {
        socket.destroy();
        return;
      }
      socket.answered = true;
      served.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { port: (server.address() as AddressInfo).port, served };
  }

  it('sends the request again on a new connection, whatever the verb', async () => {
    const { port, served } = await closingIdle();
    const transport = new HttpTransport(`http://127.0.0.1:${port}`);
    onTestFinished(() => transport.close());
    const first = await transport.send({ method: 'GET', path: '/a', headers: {} });
    expect(await readBody(first)).toBe('{"ok":true}');
    const second = await transport.send({
      method: 'POST',
      path: '/b',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await readBody(second)).toBe('{"ok":true}');
    expect(served).toEqual(['GET /a', 'POST /b']);
  });

  it('reports a reset on a fresh connection: the request may have been read', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const transport = new HttpTransport(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    onTestFinished(() => transport.close());
    await expect(
      transport.send({ method: 'POST', path: '/', headers: {}, body: '{}' }),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
