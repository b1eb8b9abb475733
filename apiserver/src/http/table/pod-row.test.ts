import type { ContainerStatus, Pod, PodStatus } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { podRow, readinessGatesCell } from './pod-row.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();

function pod(
  status: PodStatus,
  options: {
    init?: { name: string; sidecar?: boolean }[];
    containers?: string[];
    deleting?: boolean;
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      ...(options.deleting && { deletionTimestamp: minutesAgo(0) }),
    },
    spec: {
      initContainers: (options.init ?? []).map((c) => ({
        name: c.name,
        image: 'busybox',
        ...(c.sidecar && { restartPolicy: 'Always' as const }),
      })),
      containers: (options.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })),
    },
    status,
  };
}

const running = (
  name: string,
  ready = true,
  extra: Partial<ContainerStatus> = {},
): ContainerStatus => ({
  name,
  ready,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  state: { running: { startedAt: minutesAgo(5) } },
  ...extra,
});
const terminated = (name: string, exitCode: number, reason?: string): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  state: { terminated: { exitCode, ...(reason && { reason }) } },
});
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({
  name,
  ready: false,
  restartCount,
  image: 'busybox',
  imageID: '',
  state: { waiting: { reason } },
  ...(restartCount > 0 && {
    lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(2) } },
  }),
});
const readyCondition = { type: 'Ready', status: 'True' } as const;
const initialized = { type: 'Initialized', status: 'True' } as const;

describe('podRow: READY, STATUS and RESTARTS as kubectl get pods shows them', () => {
  it.each<[string, Pod, { ready: string; status: string; restarts: string }]>([
    [
      'a running ready pod',
      pod({ phase: 'Running', containerStatuses: [running('app')] }),
      { ready: '1/1', status: 'Running', restarts: '0' },
    ],
    [
      'a pending pod with no statuses yet',
      pod({ phase: 'Pending' }),
      { ready: '0/1', status: 'Pending', restarts: '0' },
    ],
    [
      'a finished pod reads Completed, not Succeeded',
      pod({ phase: 'Succeeded', containerStatuses: [terminated('app', 0, 'Completed')] }),
      { ready: '0/1', status: 'Completed', restarts: '0' },
    ],
    [
      'a crash-looping container, with the age of its last restart',
      pod({ phase: 'Running', containerStatuses: [waiting('app', 'CrashLoopBackOff', 3)] }),
      { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (2m ago)' },
    ],
    [
      'a container that exited without a reason',
      pod({ phase: 'Failed', containerStatuses: [terminated('app', 2)] }),
      { ready: '0/1', status: 'ExitCode:2', restarts: '0' },
    ],
    [
      'the second of two init containers running',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [terminated('one', 0, 'Completed'), running('two', false)],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: [{ name: 'one' }, { name: 'two' }] },
      ),
      { ready: '0/1', status: 'Init:1/2', restarts: '0' },
    ],
    [
      'an init container crash-looping',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [waiting('one', 'CrashLoopBackOff', 4)],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: [{ name: 'one' }] },
      ),
      { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4 (2m ago)' },
    ],
    [
      'an init container that failed',
      pod(
        { phase: 'Failed', initContainerStatuses: [terminated('one', 1, 'Error')] },
        { init: [{ name: 'one' }] },
      ),
      { ready: '0/1', status: 'Init:Error', restarts: '0' },
    ],
    [
      'a started sidecar counts toward READY beside the app',
      pod(
        {
          phase: 'Running',
          conditions: [initialized, readyCondition],
          initContainerStatuses: [running('proxy', true, { started: true })],
          containerStatuses: [running('app')],
        },
        { init: [{ name: 'proxy', sidecar: true }] },
      ),
      { ready: '2/2', status: 'Running', restarts: '0' },
    ],
    [
      'a completed app beside a running sidecar is Running while the pod is Ready',
      pod(
        {
          phase: 'Running',
          conditions: [initialized, readyCondition],
          initContainerStatuses: [running('proxy', true, { started: true })],
          containerStatuses: [terminated('app', 0, 'Completed'), running('helper')],
        },
        { init: [{ name: 'proxy', sidecar: true }], containers: ['app', 'helper'] },
      ),
      { ready: '2/3', status: 'Running', restarts: '0' },
    ],
    [
      'a completed container beside a running one in a pod not Ready is NotReady',
      pod(
        {
          phase: 'Running',
          containerStatuses: [terminated('app', 0, 'Completed'), running('helper')],
        },
        { containers: ['app', 'helper'] },
      ),
      { ready: '1/2', status: 'NotReady', restarts: '0' },
    ],
    [
      'a pod being deleted',
      pod({ phase: 'Running', containerStatuses: [running('app')] }, { deleting: true }),
      { ready: '1/1', status: 'Terminating', restarts: '0' },
    ],
    [
      'a finished pod being deleted keeps its outcome',
      pod(
        { phase: 'Succeeded', containerStatuses: [terminated('app', 0, 'Completed')] },
        { deleting: true },
      ),
      { ready: '0/1', status: 'Completed', restarts: '0' },
    ],
    [
      'a pod of an unreachable node being deleted',
      pod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }),
      { ready: '0/1', status: 'Unknown', restarts: '0' },
    ],
    [
      'a pod held by a scheduling gate',
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      { ready: '0/1', status: 'SchedulingGated', restarts: '0' },
    ],
  ])('%s', (_, input, expected) => {
    expect(podRow(input, NOW)).toEqual(expected);
  });
});

describe('readinessGatesCell', () => {
  it('counts the gates whose condition is True', () => {
    const p = pod({ phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }] });
    expect(readinessGatesCell(p)).toBe('<none>');
    const gated: Pod = {
      ...p,
      spec: {
        containers: [],
        readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
      },
    };
    expect(readinessGatesCell(gated)).toBe('1/2');
  });
});
