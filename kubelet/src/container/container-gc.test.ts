import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@skiff/api/testing';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ContainerGC,
  DEFAULT_CONTAINER_GC_POLICY,
  planContainerGC,
  type ContainerGCPolicy,
} from './container-gc.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from './labels.js';

type State = 'running' | 'exited' | 'created' | 'unknown';

/** `uid/name@createdSecond:state` → a CRI container of sandbox `s-<uid>`. */
function container(spec: string): Container__Output {
  const match = /^([^/]+)\/([^@]+)@(\d+):(\w+)$/.exec(spec);
  if (match === null) throw new Error(`bad container spec ${spec}`);
  const [, uid = '', name = '', second = '0', state = 'exited'] = match;
  return {
    id: spec,
    pod_sandbox_id: `s-${uid}`,
    metadata: { name, attempt: 0 },
    image: null,
    image_ref: '',
    image_id: '',
    state: `CONTAINER_${state.toUpperCase() as Uppercase<State>}`,
    created_at: String(BigInt(second) * 1_000_000_000n),
    labels: { [POD_UID_LABEL]: uid, [CONTAINER_NAME_LABEL]: name },
    annotations: {},
  };
}

/** `id@createdSecond:ready|notready` of pod `uid`. */
function sandbox(uid: string, spec: string): PodSandbox__Output {
  const [id = '', rest = ''] = spec.split('@');
  const [second = '0', state = 'notready'] = rest.split(':');
  return {
    id,
    metadata: { name: uid, uid, namespace: 'default', attempt: 0 },
    state: state === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
    created_at: String(BigInt(second) * 1_000_000_000n),
    labels: { [POD_UID_LABEL]: uid },
    annotations: {},
    runtime_handler: '',
  };
}

describe('planContainerGC', () => {
  const plan = (
    containers: string[],
    options: {
      gone?: string[];
      policy?: Partial<ContainerGCPolicy>;
      sandboxes?: PodSandbox__Output[];
      ready?: boolean;
      now?: number;
    } = {},
  ) =>
    planContainerGC({
      containers: containers.map(container),
      sandboxes: options.sandboxes ?? [],
      policy: { ...DEFAULT_CONTAINER_GC_POLICY, ...options.policy },
      now: options.now ?? 1_000_000,
      podGone: (uid) => options.gone?.includes(uid) ?? false,
      allSourcesReady: options.ready ?? true,
    });

  it.each([
    [
      'keeps the newest dead container of each (pod, container), oldest go first',
      ['a/app@1:exited', 'a/app@2:exited', 'a/app@3:exited', 'a/app@4:running'],
      {},
      ['a/app@1:exited', 'a/app@2:exited'],
    ],
    [
      'never touches running containers, nor a unit with one dead container',
      ['a/app@1:running', 'a/init@1:exited', 'b/app@1:exited'],
      {},
      [],
    ],
    [
      'removes every container of a pod that is gone',
      ['a/app@1:exited', 'a/app@2:exited', 'b/app@1:exited'],
      { gone: ['a'] },
      ['a/app@1:exited', 'a/app@2:exited'],
    ],
    [
      'keeps a gone pod whole until the sources are ready',
      ['a/app@1:exited', 'a/app@2:exited'],
      { gone: ['a'], ready: false },
      ['a/app@1:exited'],
    ],
    [
      'spares containers younger than minAge',
      ['a/app@1:exited', 'a/app@900:exited', 'a/app@999:exited'],
      { policy: { minAgeMs: 200_000 } },
      [],
    ],
    [
      'maxPerPodContainer < 0 keeps every dead container',
      ['a/app@1:exited', 'a/app@2:exited'],
      { policy: { maxPerPodContainer: -1 } },
      [],
    ],
    [
      'maxContainers shares the node between units (at least 1 each), then the oldest go',
      ['a/app@1:exited', 'a/app@5:exited', 'b/app@2:exited', 'b/app@3:exited', 'c/app@4:exited'],
      { policy: { maxPerPodContainer: -1, maxContainers: 2 } },
      ['a/app@1:exited', 'b/app@2:exited', 'b/app@3:exited'],
    ],
  ])('%s', (_name, containers, options, removed) => {
    expect(plan(containers, options).containers).toEqual(removed);
  });

  it('marks containers in an unknown state, to be stopped first', () => {
    expect(plan(['a/app@1:unknown', 'a/app@2:exited']).unknown).toEqual(['a/app@1:unknown']);
  });

  it.each([
    [
      'keeps the newest sandbox of a pod that is here, and any holding containers',
      'a',
      [],
      ['a/app@1:exited'],
      ['s-old@1:notready', 's-a@2:notready', 's-new@3:notready'],
      ['s-old'],
    ],
    [
      'removes every dead sandbox of a gone pod once its containers go',
      'a',
      ['a'],
      ['a/app@1:exited'],
      ['s-a@2:notready', 's-x@3:notready'],
      ['s-a', 's-x'],
    ],
    ['never removes a ready sandbox', 'a', ['a'], [], ['s-a@1:ready', 's-b@2:notready'], ['s-b']],
  ])('%s', (_name, uid, gone, containers, sandboxes, removed) => {
    const result = plan(containers, { gone, sandboxes: sandboxes.map((s) => sandbox(uid, s)) });
    expect([...result.sandboxes].sort()).toEqual(removed);
  });
});

describe('ContainerGC', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('removes what the plan says with the containers’ log files, and the log dirs of gone pods it ran', async () => {
    const logs = await mkdtemp(join(tmpdir(), 'container-gc-'));
    dirs.push(logs);
    const logOf = (id: string): string => join(logs, `default_web_a`, encodeURIComponent(id));
    await mkdir(join(logs, 'default_web_a'));
    await mkdir(join(logs, 'default_old_b'));
    await mkdir(join(logs, 'default_other_c'));
    let containers = ['a/app@1:exited', 'a/app@2:exited', 'b/app@1:exited'].map(container);
    let sandboxes = [sandbox('a', 's-a@1:ready'), sandbox('b', 's-b@1:notready')];
    for (const c of containers) await writeFile(logOf(c.id), 'log');
    const calls: string[] = [];
    const gc = new ContainerGC({
      clock: new FakeClock(10_000),
      runtime: {
        listContainers: () => Promise.resolve(containers),
        listPodSandbox: () => Promise.resolve(sandboxes),
        containerLogPath: (id) => Promise.resolve(logOf(id)),
        stopContainer: (id) => Promise.resolve(void calls.push(`stop ${id}`)),
        removeContainer: (id) => {
          calls.push(`remove ${id}`);
          containers = containers.filter((c) => c.id !== id);
          return Promise.resolve();
        },
        stopPodSandbox: (id) => Promise.resolve(void calls.push(`stop ${id}`)),
        removePodSandbox: (id) => {
          calls.push(`remove ${id}`);
          sandboxes = sandboxes.filter((s) => s.id !== id);
          return Promise.resolve();
        },
      },
      podGone: (uid) => uid !== 'a',
      allSourcesReady: () => true,
      podLogsDirectory: logs,
      nodeEvent: () => undefined,
      log: () => undefined,
    });
    await gc.garbageCollect();
    // Gone pods first, then the units over their limit.
    expect(calls).toEqual([
      'remove b/app@1:exited',
      'remove a/app@1:exited',
      'stop s-b',
      'remove s-b',
    ]);
    expect(existsSync(logOf('a/app@1:exited'))).toBe(false);
    expect(existsSync(logOf('a/app@2:exited'))).toBe(true);
    // b was this kubelet's and is gone; c was never seen in its runtime (another kubelet's?).
    expect(existsSync(join(logs, 'default_old_b'))).toBe(false);
    expect(existsSync(join(logs, 'default_other_c'))).toBe(true);
    expect(existsSync(join(logs, 'default_web_a'))).toBe(true);
  });
});
