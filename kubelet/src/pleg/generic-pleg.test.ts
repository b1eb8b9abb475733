import { FakeClock } from '@skiff/api/testing';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { describe, expect, it } from 'vitest';
import { POD_UID_LABEL } from '../container/index.js';
import { container, runtimePod, sandbox } from '../container/testing.js';
import type { PodLifecycleEvent } from './events.js';
import { GenericPleg } from './generic-pleg.js';
import { PodCache } from './pod-cache.js';

/** A runtime whose listings are what the test says they are now. */
class ListedRuntime {
  sandboxes: PodSandbox__Output[] = [];
  containers: Container__Output[] = [];
  listPodSandbox = (): Promise<PodSandbox__Output[]> => Promise.resolve(this.sandboxes);
  listContainers = (): Promise<Container__Output[]> => Promise.resolve(this.containers);
}

const web = { uid: 'uid-1', name: 'web', namespace: 'default' };
const labels = { [POD_UID_LABEL]: 'uid-1' };

function listedSandbox(id: string): PodSandbox__Output {
  return {
    id,
    metadata: null,
    state: 'SANDBOX_READY',
    created_at: '1',
    labels,
    annotations: {},
    runtime_handler: '',
  };
}

function listedContainer(id: string, state: Container__Output['state']): Container__Output {
  return {
    id,
    pod_sandbox_id: 'sb',
    metadata: null,
    image: null,
    image_ref: '',
    state,
    created_at: '1',
    labels,
    annotations: {},
    image_id: '',
  };
}

function setUp(cache?: PodCache) {
  const runtime = new ListedRuntime();
  const seen: PodLifecycleEvent[][] = [];
  const pleg = new GenericPleg({
    runtime,
    clock: new FakeClock(),
    ...(cache !== undefined && { cache }),
    onEvents: (events) => seen.push([...events]),
  });
  return { runtime, pleg, seen };
}

describe('GenericPleg', () => {
  it('reports the sandbox and container a relist sees start', async () => {
    const { runtime, pleg } = setUp();
    runtime.sandboxes = [listedSandbox('sb')];
    runtime.containers = [listedContainer('c1', 'CONTAINER_RUNNING')];
    expect(await pleg.relist()).toEqual([
      { id: 'uid-1', type: 'ContainerStarted', data: 'c1' },
      { id: 'uid-1', type: 'ContainerStarted', data: 'sb' },
    ]);
    expect(await pleg.relist()).toEqual([]);
  });

  it('says nothing of changes the pod cache already holds (the pod worker made them)', async () => {
    const cache = new PodCache();
    const { runtime, pleg, seen } = setUp(cache);
    const status = runtimePod([sandbox({ id: 'sb' })], [container('app', { id: 'c1' })]);
    cache.set('uid-1', status, cache.ticket());
    runtime.sandboxes = [listedSandbox('sb')];
    runtime.containers = [listedContainer('c1', 'CONTAINER_RUNNING')];
    expect(await pleg.relist()).toEqual([]);
    expect(seen).toEqual([[]]);
    expect(cache.get(web)).toBe(status);
  });

  it('reports a change the cache lacks and marks the pod stale, so its sync reads it again', async () => {
    const cache = new PodCache();
    const { runtime, pleg } = setUp(cache);
    runtime.sandboxes = [listedSandbox('sb')];
    runtime.containers = [listedContainer('c1', 'CONTAINER_RUNNING')];
    await pleg.relist();
    cache.set(
      'uid-1',
      runtimePod([sandbox({ id: 'sb' })], [container('app', { id: 'c1' })]),
      cache.ticket(),
    );
    runtime.containers = [listedContainer('c1', 'CONTAINER_EXITED')];
    expect(await pleg.relist()).toEqual([{ id: 'uid-1', type: 'ContainerDied', data: 'c1' }]);
    expect(cache.get(web)).toBeUndefined();
  });

  it('reports every change of a pod the cache holds nothing for', async () => {
    const cache = new PodCache();
    const { runtime, pleg } = setUp(cache);
    runtime.sandboxes = [listedSandbox('sb')];
    expect(await pleg.relist()).toEqual([{ id: 'uid-1', type: 'ContainerStarted', data: 'sb' }]);
  });

  it('tells the cache which pods it saw, so a pod it did not see needs no read', async () => {
    const cache = new PodCache();
    const { runtime, pleg } = setUp(cache);
    runtime.sandboxes = [listedSandbox('sb')];
    await pleg.relist();
    expect(cache.get(web)).toBeUndefined();
    expect(cache.get({ ...web, uid: 'uid-new' })).toEqual({
      ...web,
      uid: 'uid-new',
      sandboxes: [],
      containers: [],
    });
  });
});
