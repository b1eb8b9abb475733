import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Probe } from '@skiff/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecSyncResult } from '../cri/index.js';
import { startGrpcHealthServer, type GrpcHealthServer } from '../testing/grpc-health-server.js';
import {
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
} from './grpc-health-messages.js';
import { goDurationSeconds } from './grpc-probe.js';
import { runProbe } from './probe.js';

const noExec = { execSync: (): Promise<ExecSyncResult> => Promise.reject(new Error('no exec')) };
const target = { container: { name: 'app' }, containerId: 'c1', podIP: '127.0.0.1' };
// Generous where the probe should answer (a loaded machine may take a while), 1 s (Kubernetes'
// default) where the timeout is the point.
const grpc = (port: number, service?: string, timeoutSeconds = 10): Probe => ({
  grpc: { port, ...(service !== undefined && { service }) },
  timeoutSeconds,
});

const running: GrpcHealthServer[] = [];
const tcpServers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(
    tcpServers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

async function healthServer(options?: { health?: boolean }): Promise<GrpcHealthServer> {
  const server = await startGrpcHealthServer(options);
  running.push(server);
  return server;
}

describe('grpc probe against a real grpc.health.v1 server', () => {
  it('SERVING is success, asked about the service the probe names', async () => {
    const server = await healthServer();
    server.set('db', 'SERVING');
    expect(await runProbe(grpc(server.port, 'db'), target, noExec)).toEqual({
      result: 'success',
      output: 'service healthy',
    });
    expect(await runProbe(grpc(server.port), target, noExec)).toMatchObject({
      result: 'success',
    });
    expect(server.asked).toEqual(['db', '']);
  });

  it.each(['NOT_SERVING', 'UNKNOWN', 'SERVICE_UNKNOWN'] as const)(
    '%s is a failure that names the status',
    async (answer) => {
      const server = await healthServer();
      server.set('', answer);
      expect(await runProbe(grpc(server.port), target, noExec)).toEqual({
        result: 'failure',
        output: `service unhealthy (responded with "${answer}")`,
      });
    },
  );

  it('a service the server does not know fails with the rpc error', async () => {
    const server = await healthServer();
    expect(await runProbe(grpc(server.port, 'nope'), target, noExec)).toEqual({
      result: 'failure',
      output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    });
  });

  it('a server without the health service fails as not implementing the protocol', async () => {
    const server = await healthServer({ health: false });
    const outcome = await runProbe(grpc(server.port), target, noExec);
    expect(outcome.result).toBe('failure');
    expect(outcome.output).toMatch(
      /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /,
    );
  });

  it('an answer later than timeoutSeconds fails as a timed-out rpc', async () => {
    const server = await healthServer();
    server.delayAnswers(3000);
    expect(await runProbe(grpc(server.port, undefined, 1), target, noExec)).toEqual({
      result: 'failure',
      output: 'timeout: health rpc did not complete within 1s',
    });
  });

  it('a port that accepts TCP but never speaks HTTP/2 fails with the connect timeout', async () => {
    const silent = createServer((socket) => sockets.push(socket));
    tcpServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    expect(await runProbe(grpc(port, undefined, 1), target, noExec)).toEqual({
      result: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`,
    });
  });

  it('a closed port fails with the connect timeout, like a dial that blocks until the deadline', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await runProbe(grpc(port, undefined, 1), target, noExec);
    expect(outcome).toEqual({
      result: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`,
    });
  });
});

describe('grpc.health.v1 messages', () => {
  it.each(['', 'db', 'a.very/long service name with ünïcode'.repeat(5)])(
    'a request for %j round-trips',
    (service) => {
      expect(decodeHealthCheckRequest(encodeHealthCheckRequest(service))).toBe(service);
    },
  );

  it.each(['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const)(
    'a %s response round-trips',
    (status) => {
      expect(decodeHealthCheckResponse(encodeHealthCheckResponse(status))).toBe(status);
    },
  );

  it('skips fields it does not know and prints an unknown status as its number', () => {
    // field 2 (string "x"), field 3 (fixed32), then status = 7
    const bytes = Buffer.from([0x12, 0x01, 0x78, 0x1d, 1, 2, 3, 4, 0x08, 0x07]);
    expect(decodeHealthCheckResponse(bytes)).toBe('7');
  });
});

describe('goDurationSeconds', () => {
  it.each([
    [1, '1s'],
    [10, '10s'],
    [60, '1m0s'],
    [90, '1m30s'],
    [3600, '1h0m0s'],
    [3725, '1h2m5s'],
  ])('%i s prints as %s', (seconds, printed) => {
    expect(goDurationSeconds(seconds)).toBe(printed);
  });
});
