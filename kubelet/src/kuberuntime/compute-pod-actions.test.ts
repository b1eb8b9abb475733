import type { Pod, RestartPolicy } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { container, exited, runtimePod, sandbox } from '../container/testing.js';
import type { RuntimePodStatus } from '../container/index.js';
import { computePodActions, type PodActions } from './compute-pod-actions.js';
import { containerHash } from './container-hash.js';

const notInBackOff = (): number => 0;

function pod(policy: RestartPolicy = 'Always', init: string[] = []): Pod {
  const builder = makePod().name('web').spec({ restartPolicy: policy }).container('app');
  for (const name of init) builder.initContainer(name);
  return builder.obj();
}

function plan(
  p: Pod,
  status: RuntimePodStatus,
  backoffRemaining: (name: string, finishedAt: number) => number = notInBackOff,
): PodActions {
  return computePodActions({ pod: p, status, backoffRemaining, now: 10_000 });
}

const ready = sandbox({ id: 'sb' });
const dead = sandbox({ id: 'sb', state: 'notready', attempt: 2 });

const withSidecar = (policy: RestartPolicy = 'Always'): Pod =>
  makePod()
    .spec({ restartPolicy: policy })
    .initContainer('proxy', { restartPolicy: 'Always' })
    .initContainer('setup')
    .container('app')
    .obj();

const sidecarTable: {
  name: string;
  pod: Pod;
  status: RuntimePodStatus;
  want: Partial<PodActions>;
}[] = [
  {
    name: 'the next init container starts once the sidecar runs',
    pod: withSidecar(),
    status: runtimePod([sandbox({ id: 'sb' })], [container('proxy')]),
    want: { initContainerToStart: 'setup', containersToStart: [] },
  },
  {
    name: 'the app starts beside the running sidecar',
    pod: withSidecar(),
    status: runtimePod([sandbox({ id: 'sb' })], [exited('setup', 0), container('proxy')]),
    want: { initContainerToStart: undefined, containersToStart: ['app'], killPod: false },
  },
  {
    name: 'a sidecar that exited is started again, even in a Never pod',
    pod: withSidecar('Never'),
    status: runtimePod(
      [sandbox({ id: 'sb' })],
      [container('app'), exited('setup', 0), exited('proxy', 1)],
    ),
    want: { containersToStart: ['proxy'], killPod: false },
  },
  {
    name: 'a Never pod whose app finished stops, sidecar and all',
    pod: withSidecar('Never'),
    status: runtimePod(
      [sandbox({ id: 'sb' })],
      [exited('app', 0), exited('setup', 0), container('proxy')],
    ),
    want: { killPod: true, containersToStart: [] },
  },
];

describe('computePodActions', () => {
  const table: {
    name: string;
    pod: Pod;
    status: RuntimePodStatus;
    want: Partial<PodActions>;
  }[] = [
    {
      name: 'a new pod gets a sandbox and all its containers',
      pod: pod(),
      status: runtimePod([]),
      want: { createSandbox: true, killPod: true, attempt: 0, containersToStart: ['app'] },
    },
    {
      name: 'a new pod with init containers starts only the first one',
      pod: pod('Always', ['a', 'b']),
      status: runtimePod([]),
      want: { createSandbox: true, initContainerToStart: 'a', containersToStart: [] },
    },
    {
      name: 'a dead sandbox is replaced with the next attempt',
      pod: pod(),
      status: runtimePod([dead], [exited('app', 137)]),
      want: { createSandbox: true, killPod: true, attempt: 3, containersToStart: ['app'] },
    },
    {
      name: 'a Never pod whose sandbox died after running is not run again',
      pod: pod('Never'),
      status: runtimePod([dead], [exited('app', 0)]),
      want: { createSandbox: false, killPod: true, containersToStart: [] },
    },
    {
      name: 'an OnFailure pod keeps a succeeded container down in a new sandbox',
      pod: makePod().spec({ restartPolicy: 'OnFailure' }).container('a').container('b').obj(),
      status: runtimePod([dead], [exited('a', 0), exited('b', 1)]),
      want: { createSandbox: true, containersToStart: ['b'] },
    },
    {
      name: 'a running container is kept',
      pod: pod(),
      status: runtimePod([ready], [container('app')]),
      want: { killPod: false, createSandbox: false, sandboxId: 'sb', containersToStart: [] },
    },
    {
      name: 'Always restarts a container that succeeded',
      pod: pod('Always'),
      status: runtimePod([ready], [exited('app', 0)]),
      want: { killPod: false, containersToStart: ['app'] },
    },
    {
      name: 'OnFailure restarts a failed container',
      pod: pod('OnFailure'),
      status: runtimePod([ready], [exited('app', 1)]),
      want: { killPod: false, containersToStart: ['app'] },
    },
    {
      name: 'OnFailure leaves a succeeded container and stops the sandbox',
      pod: pod('OnFailure'),
      status: runtimePod([ready], [exited('app', 0)]),
      want: { killPod: true, containersToStart: [] },
    },
    {
      name: 'Never leaves a failed container and stops the sandbox',
      pod: pod('Never'),
      status: runtimePod([ready], [exited('app', 2)]),
      want: { killPod: true, containersToStart: [] },
    },
    {
      name: 'a container created but never started is replaced',
      pod: pod(),
      status: runtimePod([ready], [container('app', { id: 'c1', state: 'created' })]),
      want: {
        containersToKill: [{ id: 'c1', name: 'app', message: 'Stopping container app' }],
        containersToStart: ['app'],
      },
    },
    {
      name: 'a container whose spec changed is killed and started again',
      pod: pod(),
      status: runtimePod([ready], [container('app', { id: 'c1', hash: 'old' })]),
      want: {
        containersToKill: [{ id: 'c1', name: 'app', message: 'Container app definition changed' }],
        containersToStart: ['app'],
      },
    },
    {
      name: 'init containers run in order: the second after the first succeeded',
      pod: pod('Always', ['a', 'b']),
      status: runtimePod([ready], [exited('a', 0)]),
      want: { initContainerToStart: 'b', containersToStart: [] },
    },
    {
      name: 'a running init container is waited for',
      pod: pod('Always', ['a', 'b']),
      status: runtimePod([ready], [container('a')]),
      want: { initContainerToStart: undefined, containersToStart: [], killPod: false },
    },
    {
      name: 'a failed init container is restarted under OnFailure',
      pod: pod('OnFailure', ['a']),
      status: runtimePod([ready], [exited('a', 1)]),
      want: { initContainerToStart: 'a', containersToStart: [] },
    },
    {
      name: 'a failed init container fails a Never pod',
      pod: pod('Never', ['a']),
      status: runtimePod([ready], [exited('a', 1)]),
      want: { killPod: true, initContainerToStart: undefined, containersToStart: [] },
    },
    {
      name: 'the app starts once every init container succeeded',
      pod: pod('Always', ['a', 'b']),
      status: runtimePod([ready], [exited('b', 0), exited('a', 0)]),
      want: { initContainerToStart: undefined, containersToStart: ['app'] },
    },
  ];

  it.each(sidecarTable)('sidecars: $name', ({ pod: p, status, want }) => {
    expect(plan(p, status)).toMatchObject(want);
  });

  it.each(table)('$name', ({ pod: p, status, want }) => {
    expect(plan(p, status)).toMatchObject(want);
  });

  it('keeps a container whose spec hash still matches', () => {
    const p = pod();
    const [app] = p.spec.containers;
    if (!app) throw new Error('no container');
    const status = runtimePod([ready], [container('app', { hash: containerHash(app) })]);
    expect(plan(p, status).containersToKill).toEqual([]);
  });

  it('holds a crashed container in back-off instead of starting it, keeping the sandbox', () => {
    const status = runtimePod([ready], [exited('app', 1, { finishedAt: 5000 })]);
    const actions = plan(pod(), status, (name, finishedAt) =>
      name === 'app' ? finishedAt + 10_000 - 8000 : 0,
    );
    expect(actions).toMatchObject({
      killPod: false,
      containersToStart: [],
      backOff: [{ name: 'app', remainingMs: 7000 }],
    });
  });

  it('kills a container that failed its liveness probe and starts it again', () => {
    const status = runtimePod([ready], [container('app', { id: 'c1' })]);
    const actions = computePodActions({
      pod: pod(),
      status,
      backoffRemaining: notInBackOff,
      now: 10_000,
      probeFailure: (id) => (id === 'c1' ? 'liveness' : undefined),
    });
    expect(actions).toMatchObject({
      killPod: false,
      containersToKill: [
        {
          id: 'c1',
          name: 'app',
          message: 'Container app failed liveness probe, will be restarted',
        },
      ],
      containersToStart: ['app'],
    });
    const never = computePodActions({
      pod: pod('Never'),
      status,
      backoffRemaining: notInBackOff,
      now: 10_000,
      probeFailure: () => 'startup',
    });
    // Never: killed and not started again; with nothing left running the sandbox goes too.
    expect(never).toMatchObject({ containersToStart: [], killPod: true });
    expect(never.containersToKill).toHaveLength(1);
    const backingOff = computePodActions({
      pod: pod(),
      status,
      backoffRemaining: (_name, at) => (at === 10_000 ? 20_000 : 0),
      now: 10_000,
      probeFailure: () => 'liveness',
    });
    expect(backingOff.backOff).toEqual([{ name: 'app', remainingMs: 20_000 }]);
  });

  it('holds a failed init container in back-off', () => {
    const status = runtimePod([ready], [exited('a', 1)]);
    const actions = plan(pod('Always', ['a']), status, () => 4000);
    expect(actions).toMatchObject({
      initContainerToStart: undefined,
      backOff: [{ name: 'a', remainingMs: 4000 }],
    });
  });
});
