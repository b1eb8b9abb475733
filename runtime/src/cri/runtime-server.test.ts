// The CRI server on a real unix socket, driven through @skiff/proto's clients. It runs on the
// process backend, which needs neither root nor namespaces, so these tests run anywhere; the
// shared CRI suite (src/testing/critest/) drives the same server on real containers.
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import {
  newImageServiceClient,
  newRuntimeServiceClient,
  unaryCall,
  type ImageServiceClient,
  type RuntimeServiceClient,
} from '@skiff/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { importThroughRuntime } from './import-service.js';
import { startRuntimeServer, type RuntimeServer } from './runtime-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Served {
  readonly dir: string;
  readonly server: RuntimeServer;
  readonly runtime: RuntimeServiceClient;
  readonly images: ImageServiceClient;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-cri-server-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(dir?: string): Promise<Served> {
  const root = dir ?? (await tempDir());
  const server = await startRuntimeServer({
    socket: join(root, 'cri.sock'),
    root: join(root, 'state'),
    backend: 'process',
    healthPort: 0,
    log: () => undefined,
  });
  const runtime = newRuntimeServiceClient(server.socket);
  const images = newImageServiceClient(server.socket);
  cleanups.push(async () => {
    runtime.close();
    images.close();
    await server.stop();
  });
  return { dir: root, server, runtime, images };
}

const opts = { timeoutMs: 10_000 };

async function failure(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

/** A socket file whose server was killed with -9: nobody answers, the file remains. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('the CRI server', () => {
  it('serves Version as skiff on a 0660 unix socket and removes the socket when stopped', async () => {
    const { server, runtime } = await serve();
    const version = await unaryCall(runtime, 'Version', { version: 'v1' }, opts);
    expect(version).toMatchObject({ runtime_name: 'skiff', runtime_api_version: 'v1' });
    expect((await lstat(server.socket)).mode & 0o777).toBe(0o660);
    await server.stop();
    await expect(lstat(server.socket)).rejects.toThrow(/ENOENT/);
  });

  it('reports the backend in Status, saying when there is no isolation', async () => {
    const { runtime } = await serve();
    const { status: st, info } = await unaryCall(runtime, 'Status', { verbose: true }, opts);
    const ready = st?.conditions.find((c) => c.type === 'RuntimeReady');
    expect(ready?.status).toBe(true);
    expect(ready?.message).toContain('NO isolation');
    expect(info.backend).toBe('"process"');
  });

  it('replaces a stale socket file left by a killed runtime', async () => {
    const dir = await tempDir();
    await staleSocket(join(dir, 'cri.sock'));
    expect((await lstat(join(dir, 'cri.sock'))).isSocket()).toBe(true);
    const { runtime } = await serve(dir);
    await expect(unaryCall(runtime, 'Version', {}, opts)).resolves.toBeDefined();
  });

  it('refuses to take over a socket another runtime is serving', async () => {
    const { dir } = await serve();
    await expect(
      startRuntimeServer({
        socket: join(dir, 'cri.sock'),
        root: join(dir, 'other'),
        backend: 'process',
        log: () => undefined,
      }),
    ).rejects.toThrow(/another process is serving/);
  });

  it('answers unknown ids with NOT_FOUND and missing ids with INVALID_ARGUMENT', async () => {
    const { runtime } = await serve();
    const unknown = await failure(
      unaryCall(runtime, 'ContainerStatus', { container_id: 'nope' }, opts),
    );
    expect(unknown.code).toBe(status.NOT_FOUND);
    expect(unknown.details).toContain('"nope" not found');
    const missing = await failure(unaryCall(runtime, 'StartContainer', {}, opts));
    expect(missing).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'container_id is required',
    });
  });

  it('answers ImageStatus of a missing image with no image, and a malformed one with INVALID_ARGUMENT', async () => {
    const { images } = await serve();
    const missing = await unaryCall(images, 'ImageStatus', { image: { image: 'busybox' } }, opts);
    expect(missing.image).toBeNull();
    const malformed = await failure(
      unaryCall(images, 'PullImage', { image: { image: 'Bad::Ref' } }, opts),
    );
    expect(malformed.code).toBe(status.INVALID_ARGUMENT);
    expect(malformed.details).toContain('Bad::Ref');
  });

  it('reports ImageFsInfo in nanoseconds', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const { images } = await serve();
    const { image_filesystems } = await unaryCall(images, 'ImageFsInfo', {}, opts);
    expect(BigInt(image_filesystems[0]?.timestamp ?? '0')).toBeGreaterThanOrEqual(before);
    expect(image_filesystems[0]?.fs_id?.mountpoint).toMatch(/state\/images$/);
  });

  it('acknowledges UpdateRuntimeConfig and says its cgroup driver is cgroupfs', async () => {
    const { runtime } = await serve();
    await unaryCall(
      runtime,
      'UpdateRuntimeConfig',
      { runtime_config: { network_config: { pod_cidr: '10.244.0.0/24' } } },
      opts,
    );
    const config = await unaryCall(runtime, 'RuntimeConfig', {}, opts);
    expect(config.linux?.cgroup_driver).toBe('CGROUPFS');
  });

  it('serves /healthz and counts calls and errors in /metrics', async () => {
    const { server, runtime } = await serve();
    await unaryCall(runtime, 'Version', {}, opts);
    await failure(unaryCall(runtime, 'ContainerStatus', { container_id: 'nope' }, opts));
    const base = `http://${server.health?.host}:${server.health?.port}`;
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^skiff_runtime_operations_total\{operation_type="Version"\} 1$/m);
    expect(metrics).toMatch(
      /^skiff_runtime_operations_errors_total\{operation_type="ContainerStatus",code="NOT_FOUND"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^skiff_runtime_operations_duration_seconds_count\{operation_type="Version"\} 1$/m,
    );
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('imports through the running runtime only from an absolute path, with a clear error', async () => {
    const { server } = await serve();
    await expect(importThroughRuntime(server.socket, 'relative.tar', 10_000)).rejects.toMatchObject(
      {
        code: status.INVALID_ARGUMENT,
        details: 'archivePath must be an absolute path',
      },
    );
    await expect(
      importThroughRuntime(server.socket, '/nonexistent/image.tar', 10_000),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: 'archive /nonexistent/image.tar does not exist',
    });
  });
});
