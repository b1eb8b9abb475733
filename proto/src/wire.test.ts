import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  criAddress,
  imageServiceDefinition,
  newImageServiceClient,
  newRuntimeServiceClient,
  runtimeServiceDefinition,
  unaryCall,
  type Container,
  type ContainerFilter__Output,
  type ImageServiceClient,
  type ImageServiceHandlers,
  type RuntimeServiceClient,
  type RuntimeServiceHandlers,
} from './index.js';

// Nanoseconds since the epoch in late 2024: far above Number.MAX_SAFE_INTEGER (about 9.0e15),
// so a Number would round it (to ...456800). Only an exact decimal string survives.
const CREATED_AT_NS = '1730000000123456789';
const UINT64_MAX = '18446744073709551615';

function container(overrides: Partial<Container> = {}): Container {
  return {
    id: 'c-0001',
    pod_sandbox_id: 'p-0001',
    metadata: { name: 'web', attempt: 2 },
    image: { image: 'docker.io/library/nginx:1.27', annotations: {} },
    image_ref: 'sha256:4a6e0d1c',
    state: 'CONTAINER_RUNNING',
    created_at: CREATED_AT_NS,
    labels: { 'io.kubernetes.pod.name': 'web-0' },
    annotations: { 'io.kubernetes.container.restartCount': '2' },
    image_id: 'sha256:4a6e0d1c',
    ...overrides,
  };
}

type TestRuntimeHandlers = Pick<RuntimeServiceHandlers, 'Version' | 'Status' | 'ListContainers'>;

async function listen(server: grpc.Server, socket: string): Promise<void> {
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(criAddress(socket), grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

describe('CRI over a unix socket between grpc-js server and typed clients', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-proto-wire-'));
  const socket = join(dir, 'cri.sock');
  const server = new grpc.Server();
  const receivedFilters: ContainerFilter__Output[] = [];
  let runtime: RuntimeServiceClient;
  let images: ImageServiceClient;

  const runtimeHandlers: TestRuntimeHandlers = {
    Version: (call, callback) =>
      callback(null, {
        version: call.request.version,
        runtime_name: 'skiff-test',
        runtime_version: '0.1.0',
        runtime_api_version: 'v1',
      }),
    Status: (call, callback) =>
      callback(null, {
        status: {
          conditions: [
            { type: 'RuntimeReady', status: true },
            { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'no network' },
          ],
        },
        info: call.request.verbose ? { config: '{"snapshotter":"overlayfs"}' } : {},
        runtime_handlers: [{ name: '', features: { recursive_read_only_mounts: true } }],
        features: { supplemental_groups_policy: true },
      }),
    ListContainers: (call, callback) => {
      if (call.request.filter) receivedFilters.push(call.request.filter);
      if (call.request.filter?.id === 'sparse') {
        callback(null, { containers: [{ id: 'sparse' }] });
        return;
      }
      callback(null, {
        containers: [
          container(),
          // Numbers are accepted for enums on the way out and still arrive as names.
          container({ id: 'c-0002', state: 2, created_at: '1' }),
        ],
      });
    },
  };
  const imageHandlers: Pick<ImageServiceHandlers, 'ImageFsInfo'> = {
    ImageFsInfo: (_call, callback) =>
      callback(null, {
        image_filesystems: [
          {
            timestamp: CREATED_AT_NS,
            fs_id: { mountpoint: '/var/lib/skiff/images' },
            used_bytes: { value: UINT64_MAX },
          },
        ],
      }),
  };

  beforeAll(async () => {
    server.addService(runtimeServiceDefinition(), runtimeHandlers);
    server.addService(imageServiceDefinition(), imageHandlers);
    await listen(server, socket);
    runtime = newRuntimeServiceClient(socket);
    images = newImageServiceClient(`unix://${socket}`);
  });

  afterAll(() => {
    runtime.close();
    images.close();
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns every Version field the server set', async () => {
    const version = await unaryCall(runtime, 'Version', { version: 'v1' }, { timeoutMs: 5000 });
    expect(version).toEqual({
      version: 'v1',
      runtime_name: 'skiff-test',
      runtime_version: '0.1.0',
      runtime_api_version: 'v1',
    });
  });

  it('carries Status conditions, info, runtime handlers and features', async () => {
    const status = await unaryCall(runtime, 'Status', { verbose: true }, { timeoutMs: 5000 });
    expect(status.status?.conditions).toEqual([
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'no network' },
    ]);
    expect(status.info).toEqual({ config: '{"snapshotter":"overlayfs"}' });
    expect(status.runtime_handlers).toEqual([
      { name: '', features: { recursive_read_only_mounts: true, user_namespaces: false } },
    ]);
    expect(status.features).toEqual({ supplemental_groups_policy: true });
  });

  it('keeps a nanosecond timestamp above 2^53 exact and decodes enums to their names', async () => {
    const { containers } = await unaryCall(
      runtime,
      'ListContainers',
      { filter: { state: { state: 'CONTAINER_RUNNING' }, label_selector: { app: 'web' } } },
      { timeoutMs: 5000 },
    );
    expect(containers).toHaveLength(2);
    const [first, second] = containers;
    expect(first?.created_at).toBe(CREATED_AT_NS);
    expect(BigInt(first?.created_at ?? '0')).toBe(1_730_000_000_123_456_789n);
    expect(first?.state).toBe('CONTAINER_RUNNING');
    expect(first?.metadata).toEqual({ name: 'web', attempt: 2 });
    expect(first?.labels).toEqual({ 'io.kubernetes.pod.name': 'web-0' });
    expect(first?.image).toEqual({
      image: 'docker.io/library/nginx:1.27',
      annotations: {},
      user_specified_image: '',
      runtime_handler: '',
    });
    expect(second?.state).toBe('CONTAINER_EXITED');
    expect(second?.created_at).toBe('1');
  });

  it('delivers the request filter to the server with enum names and proto field names', async () => {
    receivedFilters.length = 0;
    await unaryCall(
      runtime,
      'ListContainers',
      { filter: { pod_sandbox_id: 'p-0001', state: { state: 1 } } },
      { timeoutMs: 5000 },
    );
    expect(receivedFilters).toEqual([
      {
        id: '',
        pod_sandbox_id: 'p-0001',
        state: { state: 'CONTAINER_RUNNING' },
        label_selector: {},
      },
    ]);
  });

  it('decodes unset fields to proto3 zero values, and unset messages to null', async () => {
    const { containers } = await unaryCall(
      runtime,
      'ListContainers',
      { filter: { id: 'sparse' } },
      { timeoutMs: 5000 },
    );
    expect(containers).toEqual([
      {
        id: 'sparse',
        pod_sandbox_id: '',
        metadata: null,
        image: null,
        image_ref: '',
        state: 'CONTAINER_CREATED',
        created_at: '0',
        labels: {},
        annotations: {},
        image_id: '',
      },
    ]);
  });

  it('reaches the image service too, with a full uint64', async () => {
    const fs = await unaryCall(images, 'ImageFsInfo', {}, { timeoutMs: 5000 });
    expect(fs.image_filesystems).toEqual([
      {
        timestamp: CREATED_AT_NS,
        fs_id: { mountpoint: '/var/lib/skiff/images' },
        used_bytes: { value: UINT64_MAX },
        inodes_used: null,
      },
    ]);
    expect(fs.container_filesystems).toEqual([]);
  });

  it('rejects an RPC the server does not implement with UNIMPLEMENTED', async () => {
    await expect(
      unaryCall(runtime, 'RunPodSandbox', { config: {} }, { timeoutMs: 5000 }),
    ).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });
});

describe('unaryCall deadlines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-proto-deadline-'));
  const socket = join(dir, 'cri.sock');
  const server = new grpc.Server();
  let runtime: RuntimeServiceClient;

  beforeAll(async () => {
    const hanging: Pick<RuntimeServiceHandlers, 'Version'> = {
      Version: () => {
        // Never answers: only the caller's deadline can end this call.
      },
    };
    server.addService(runtimeServiceDefinition(), hanging);
    await listen(server, socket);
    runtime = newRuntimeServiceClient(socket);
  });

  afterAll(() => {
    runtime.close();
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails with DEADLINE_EXCEEDED when the runtime does not answer in time', async () => {
    await expect(
      unaryCall(runtime, 'Version', { version: 'v1' }, { timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  });
});
