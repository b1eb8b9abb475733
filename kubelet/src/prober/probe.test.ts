import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { Container } from '@skiff/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecSyncResult } from '../cri/index.js';
import { PROBE_USER_AGENT, resolvePort, runProbe } from './probe.js';

const servers: { close(cb: () => void): void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const noExec = { execSync: (): Promise<ExecSyncResult> => Promise.reject(new Error('no exec')) };
const container = (ports: Container['ports'] = []): Container => ({ name: 'app', ports });
const target = (c: Container) => ({ container: c, containerId: 'c1', podIP: '127.0.0.1' });

describe('runProbe', () => {
  it('httpGet: 2xx and 3xx pass, others fail with the status code; headers and path are sent', async () => {
    const seen: string[] = [];
    const port = await httpServer((req, res) => {
      seen.push(
        `${req.url ?? ''} ${req.headers['user-agent'] ?? ''} ${String(req.headers['x-probe'])}`,
      );
      res.statusCode = req.url === '/healthz' ? 200 : req.url === '/moved' ? 302 : 500;
      res.end();
    });
    const probe = (path: string) => ({
      httpGet: { path, port: 'web', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] },
    });
    const c = container([{ name: 'web', containerPort: port }]);
    expect(await runProbe(probe('/healthz'), target(c), noExec)).toMatchObject({
      result: 'success',
    });
    expect(await runProbe(probe('/moved'), target(c), noExec)).toMatchObject({ result: 'success' });
    expect(await runProbe(probe('/broken'), target(c), noExec)).toEqual({
      result: 'failure',
      output: 'HTTP probe failed with statuscode: 500',
    });
    expect(seen[0]).toBe(`/healthz ${PROBE_USER_AGENT} yes`);
  });

  it('httpGet: a server that does not answer in timeoutSeconds fails', async () => {
    const port = await httpServer(() => undefined);
    const outcome = await runProbe(
      { httpGet: { port }, timeoutSeconds: 1 },
      target(container()),
      noExec,
    );
    expect(outcome.result).toBe('failure');
    expect(outcome.output).toContain('context deadline exceeded');
  });

  it('tcpSocket: a listening port passes, a closed one fails', async () => {
    const server = createTcpServer((s) => s.end());
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const open = (server.address() as AddressInfo).port;
    expect(
      await runProbe({ tcpSocket: { port: open } }, target(container()), noExec),
    ).toMatchObject({
      result: 'success',
    });
    const closed = await new Promise<number>((resolve) => {
      const probe = createTcpServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const outcome = await runProbe({ tcpSocket: { port: closed } }, target(container()), noExec);
    expect(outcome.result).toBe('failure');
    expect(outcome.output).toMatch(/^dial tcp 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
  });

  it('exec: exit 0 passes, anything else fails with the output; a timeout fails', async () => {
    const exec = (exitCode: number, out = '') => ({
      execSync: (): Promise<ExecSyncResult> =>
        Promise.resolve({ stdout: Buffer.from(out), stderr: Buffer.alloc(0), exitCode }),
    });
    const probe = { exec: { command: ['cat', '/tmp/healthy'] } };
    expect(await runProbe(probe, target(container()), exec(0))).toMatchObject({
      result: 'success',
    });
    expect(await runProbe(probe, target(container()), exec(1, 'No such file\n'))).toEqual({
      result: 'failure',
      output: 'No such file',
    });
    const timedOut = {
      execSync: (): Promise<ExecSyncResult> =>
        Promise.reject(Object.assign(new Error('deadline'), { code: 4 })),
    };
    expect(await runProbe(probe, target(container()), timedOut)).toEqual({
      result: 'failure',
      output: 'command "cat /tmp/healthy" timed out',
    });
  });

  it('a named port the container does not declare cannot be probed', async () => {
    expect(resolvePort('http', container())).toBeUndefined();
    expect(await runProbe({ httpGet: { port: 'http' } }, target(container()), noExec)).toEqual({
      result: 'unknown',
      output: 'port "http" not found',
    });
  });
});
