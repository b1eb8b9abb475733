import type { Pod, PodStatus } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { RuntimePodStatus } from '../container/index.js';
import { container, exited, runtimePod, sandbox } from '../container/testing.js';
import type { WaitingReason } from './container-statuses.js';
import { generateAPIPodStatus } from './generate-status.js';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const t = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function status(
  pod: Pod,
  runtime: RuntimePodStatus,
  reasons: Record<string, WaitingReason> = {},
  podIsTerminal = false,
): PodStatus {
  return generateAPIPodStatus({
    pod,
    runtime,
    reasons: new Map(Object.entries(reasons)),
    runtimeName: 'skiff',
    hostIPs: ['192.168.1.10'],
    podIsTerminal,
    now,
  });
}

const ready = sandbox({ ips: ['10.88.0.5'] });
const web = (policy: 'Always' | 'OnFailure' | 'Never' = 'Always'): Pod =>
  makePod().spec({ restartPolicy: policy }).container('app').obj();

function condition(s: PodStatus, type: string): string | undefined {
  return s.conditions?.find((c) => c.type === type)?.status;
}

describe('generateAPIPodStatus', () => {
  it('a running pod: Running, Ready, with IPs, start time, QoS and a running container', () => {
    const s = status(web(), runtimePod([ready], [container('app', { id: 'c1', startedAt: 5000 })]));
    expect(s).toMatchObject({
      phase: 'Running',
      hostIP: '192.168.1.10',
      hostIPs: [{ ip: '192.168.1.10' }],
      podIP: '10.88.0.5',
      podIPs: [{ ip: '10.88.0.5' }],
      startTime: t(now),
      qosClass: 'BestEffort',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          started: true,
          restartCount: 0,
          image: 'nginx',
          imageID: 'sha256:aaaa',
          containerID: 'skiff://c1',
          state: { running: { startedAt: t(5000) } },
        },
      ],
    });
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
  });

  it('a pod without a sandbox yet is Pending with ContainerCreating', () => {
    const s = status(web(), runtimePod([]));
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(condition(s, 'PodReadyToStartContainers')).toBe('False');
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
  });

  it('a failed image pull waits with the sync reason', () => {
    const reasons = { app: { reason: 'ErrImagePull', message: 'pull failed' } };
    const s = status(web(), runtimePod([ready]), reasons);
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]?.state).toEqual({
      waiting: { reason: 'ErrImagePull', message: 'pull failed' },
    });
  });

  it('a crash-looping container waits in CrashLoopBackOff with its last run as lastState', () => {
    const crashed = exited('app', 1, {
      id: 'c2',
      restartCount: 3,
      startedAt: 2000,
      finishedAt: 3000,
    });
    const reasons = { app: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } };
    const s = status(web(), runtimePod([ready], [crashed, exited('app', 1)]), reasons);
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({
      restartCount: 3,
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: t(2000),
          finishedAt: t(3000),
          containerID: 'skiff://c2',
        },
      },
    });
  });

  it.each<['Always' | 'OnFailure' | 'Never', number, boolean, string]>([
    ['Never', 0, false, 'Succeeded'],
    ['Never', 1, false, 'Failed'],
    ['OnFailure', 0, false, 'Succeeded'],
    ['OnFailure', 1, false, 'Running'],
    ['Always', 0, false, 'Running'],
    ['Always', 137, true, 'Failed'],
    ['Always', 0, true, 'Succeeded'],
  ])('restartPolicy %s, exit %d, terminal %s → %s', (policy, code, terminal, phase) => {
    const s = status(web(policy), runtimePod([ready], [exited('app', code)]), {}, terminal);
    expect(s.phase).toBe(phase);
  });

  it('a terminated container reports Completed and a succeeded pod PodCompleted', () => {
    const s = status(
      web('Never'),
      runtimePod([sandbox({ state: 'notready' })], [exited('app', 0)]),
    );
    expect(s.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
  });

  it('the runtime reason wins: OOMKilled', () => {
    const s = status(
      web('Never'),
      runtimePod([ready], [exited('app', 137, { reason: 'OOMKilled' })]),
    );
    expect(s.containerStatuses?.[0]?.state?.terminated?.reason).toBe('OOMKilled');
  });

  it('init containers: Pending and not Initialized until they succeed, app PodInitializing', () => {
    const pod = makePod().initContainer('setup').container('app').obj();
    const s = status(pod, runtimePod([ready], [container('setup')]));
    expect(s.phase).toBe('Pending');
    expect(s.initContainerStatuses?.[0]?.state?.running).toBeDefined();
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
    const done = status(pod, runtimePod([ready], [container('app'), exited('setup', 0)]));
    expect([done.phase, condition(done, 'Initialized')]).toEqual(['Running', 'True']);
  });

  it('a running sidecar counts as initialized and its readiness counts for Ready', () => {
    const pod = makePod()
      .initContainer('proxy', { restartPolicy: 'Always' })
      .container('app')
      .obj();
    const s = status(pod, runtimePod([ready], [container('app'), container('proxy')]));
    expect([s.phase, condition(s, 'Initialized'), condition(s, 'Ready')]).toEqual([
      'Running',
      'True',
      'True',
    ]);
    const down = status(pod, runtimePod([ready], [container('app'), exited('proxy', 1)]));
    expect(down.conditions?.find((c) => c.type === 'ContainersReady')?.message).toBe(
      'containers with unready status: [proxy]',
    );
    expect(down.phase).toBe('Running');
  });

  it('a failed init container fails a Never pod', () => {
    const pod = makePod().spec({ restartPolicy: 'Never' }).initContainer('setup').obj();
    expect(status(pod, runtimePod([ready], [exited('setup', 1)])).phase).toBe('Failed');
  });

  it('keeps transition times, the start time and a final phase', () => {
    const before = t(now - 60_000);
    const pod = makePod()
      .container('app')
      .status({ phase: 'Running', startTime: before })
      .condition('Ready', 'True', { lastTransitionTime: before })
      .condition('PodScheduled', 'True', { lastTransitionTime: before })
      .obj();
    const s = status(pod, runtimePod([ready], [container('app')]));
    expect(s.startTime).toBe(before);
    expect(s.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(before);
    expect(s.conditions?.find((c) => c.type === 'ContainersReady')?.lastTransitionTime).toBe(
      t(now),
    );
    const finished = makePod().status({ phase: 'Succeeded' }).obj();
    expect(status(finished, runtimePod([ready], [container('app')])).phase).toBe('Succeeded');
  });

  it('readiness and startup probes decide ready and started', () => {
    const probed = makePod()
      .container('app', {
        readinessProbe: { exec: { command: ['true'] } },
        startupProbe: { exec: { command: ['true'] } },
      })
      .obj();
    const runtime = runtimePod([ready], [container('app', { id: 'c1' })]);
    const withResults = (results: Record<string, string>) =>
      generateAPIPodStatus({
        pod: probed,
        runtime,
        reasons: new Map(),
        runtimeName: 'skiff',
        hostIPs: [],
        podIsTerminal: false,
        now,
        probeResult: (id, type) => (results[`${id}/${type}`] === 'success' ? 'success' : 'failure'),
      });
    const flags = (s: PodStatus) => [
      s.containerStatuses?.[0]?.started,
      s.containerStatuses?.[0]?.ready,
    ];
    expect(flags(withResults({}))).toEqual([false, false]);
    expect(flags(withResults({ 'c1/startup': 'success' }))).toEqual([true, false]);
    const both = withResults({ 'c1/startup': 'success', 'c1/readiness': 'success' });
    expect(flags(both)).toEqual([true, true]);
    expect(condition(both, 'Ready')).toBe('True');
  });

  it('a host-network pod has the node IP', () => {
    const pod = makePod().spec({ hostNetwork: true }).obj();
    expect(status(pod, runtimePod([sandbox({ ips: [] })], [container('app')])).podIP).toBe(
      '192.168.1.10',
    );
  });
});
