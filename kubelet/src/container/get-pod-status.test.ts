import type { ContainerStatus__Output, PodSandboxStatus__Output } from '@skiff/proto';
import { describe, expect, it } from 'vitest';
import { getPodStatusOf } from './get-pod-status.js';
import { CONTAINER_NAME_LABEL } from './labels.js';

const web = { uid: 'uid-1', name: 'web', namespace: 'default' };
const MS = '000000';

function sandboxStatus(id: string, createdMs: number, ip: string): PodSandboxStatus__Output {
  return {
    id,
    metadata: { name: 'web', uid: 'uid-1', namespace: 'default', attempt: 1 },
    state: 'SANDBOX_READY',
    created_at: `${createdMs}${MS}`,
    network: { ip, additional_ips: [] },
    linux: null,
    labels: {},
    annotations: {},
    runtime_handler: '',
  };
}

function containerStatus(id: string, name: string, createdMs: number): ContainerStatus__Output {
  return {
    id,
    metadata: { name, attempt: 0 },
    state: 'CONTAINER_RUNNING',
    created_at: `${createdMs}${MS}`,
    started_at: `${createdMs}${MS}`,
    finished_at: '0',
    exit_code: 0,
    image: null,
    image_ref: 'sha256:aaaa',
    reason: '',
    message: '',
    labels: { [CONTAINER_NAME_LABEL]: name },
    annotations: {},
    mounts: [],
    log_path: '',
    resources: null,
    image_id: '',
    user: null,
  };
}

/** gRPC's NotFound as grpc-js rejects with it. */
const notFound = (id: string): Error =>
  Object.assign(new Error(`5 NOT_FOUND: ${id}`), { code: 5, details: `${id} not found` });

/** A runtime that answers status calls for the objects it has and NotFound for the rest. */
function runtimeWith(
  sandboxes: readonly PodSandboxStatus__Output[],
  containers: readonly ContainerStatus__Output[],
) {
  const find = <T extends { id: string }>(list: readonly T[], id: string): Promise<T> => {
    const found = list.find((o) => o.id === id);
    return found === undefined ? Promise.reject(notFound(id)) : Promise.resolve(found);
  };
  return {
    podSandboxStatus: (id: string) => find(sandboxes, id),
    containerStatus: (id: string) => find(containers, id),
  };
}

describe('getPodStatusOf', () => {
  it("reads each known sandbox and container by ID, newest first, with the sandbox's IPs", async () => {
    const runtime = runtimeWith(
      [sandboxStatus('sb-old', 1000, '10.88.0.4'), sandboxStatus('sb-new', 2000, '10.88.0.5')],
      [containerStatus('c-old', 'app', 3000), containerStatus('c-new', 'app', 4000)],
    );
    const status = await getPodStatusOf(runtime, web, {
      sandboxes: ['sb-old', 'sb-new'],
      containers: ['c-old', 'c-new'],
    });
    expect(status.sandboxes.map((s) => [s.id, s.state, s.attempt, s.ips])).toEqual([
      ['sb-new', 'ready', 1, ['10.88.0.5']],
      ['sb-old', 'ready', 1, ['10.88.0.4']],
    ]);
    expect(status.containers.map((c) => [c.id, c.name, c.state, c.startedAt])).toEqual([
      ['c-new', 'app', 'running', 4000],
      ['c-old', 'app', 'running', 3000],
    ]);
  });

  it('leaves out what the runtime no longer has (removed meanwhile)', async () => {
    const runtime = runtimeWith([sandboxStatus('sb', 1000, '10.88.0.5')], []);
    const status = await getPodStatusOf(runtime, web, { sandboxes: ['sb'], containers: ['gone'] });
    expect(status.sandboxes.map((s) => s.id)).toEqual(['sb']);
    expect(status.containers).toEqual([]);
  });

  it('fails on any other runtime error', async () => {
    const runtime = {
      podSandboxStatus: () => Promise.reject(new Error('connection refused')),
      containerStatus: () => Promise.reject(new Error('connection refused')),
    };
    await expect(
      getPodStatusOf(runtime, web, { sandboxes: ['sb'], containers: [] }),
    ).rejects.toThrow('connection refused');
  });
});
