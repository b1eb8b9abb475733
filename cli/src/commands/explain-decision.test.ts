// `skiff explain pod NAME` against a real apiserver and a real scheduler: the decision it made
// for a pod that fits one node and not the other, as a table per node; and which scheduler it
// asks when no --scheduler is given.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientFromKubeconfig } from '@skiff/client';
import { defaultSchedulerConfig, startSchedulerApp } from '@skiff/scheduler';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startVerbCluster } from '../kubectl/testing/verb-harness.js';
import { tempDir } from '../testing/skiff-process.js';
import { writeKubeconfig } from '../up/kubeconfig-file.js';
import { DEFAULT_SCHEDULER_URL, findScheduler } from './explain-decision.js';

const node = (name: string, cpu: string) => `apiVersion: v1
kind: Node
metadata: { name: ${name} }
status:
  capacity: { cpu: "${cpu}", memory: 4Gi, pods: "110" }
  allocatable: { cpu: "${cpu}", memory: 4Gi, pods: "110" }
  conditions: [{ type: Ready, status: "True", reason: KubeletReady, lastHeartbeatTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z" }]
`;

const pod = `apiVersion: v1
kind: Pod
metadata: { name: big }
spec:
  containers:
  - name: c
    image: busybox
    resources: { requests: { cpu: "2" } }
`;

describe('skiff explain pod NAME', () => {
  it("prints the scheduler's decision: the node that passed, and why the other did not", async () => {
    const cluster = await startVerbCluster();
    onTestFinished(() => cluster.close());
    const client = await clientFromKubeconfig({ kubeconfig: cluster.kubeconfig });
    const base = defaultSchedulerConfig();
    const scheduler = await startSchedulerApp({
      client,
      config: { ...base, leaderElection: { ...base.leaderElection, leaderElect: false } },
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
    });
    onTestFinished(async () => {
      await scheduler.stop();
      client.close();
    });
    const file = join(cluster.dir, 'objects.yaml');
    await writeFile(file, `${node('small', '1')}---\n${node('large', '4')}---\n${pod}`);
    expect((await cluster.skiff('create', '-f', file)).code).toBe(0);
    await expect
      .poll(
        async () =>
          (await cluster.skiff('get', 'pod', 'big', '-o', 'jsonpath={.spec.nodeName}')).out,
        { timeout: 30_000 },
      )
      .toBe('large');

    const ran = await cluster.skiff('explain', 'pod', 'big', '--scheduler', scheduler.url);
    expect(ran.err).toBe('');
    expect(ran.out).toContain('Pod:      default/big\n');
    expect(ran.out).toContain('Result:   scheduled to large\n');
    expect(ran.out).toMatch(/\nlarge +passed +\d+/);
    expect(ran.out).toMatch(/\nsmall +rejected by NodeResourcesFit +Insufficient cpu/);

    const missing = await cluster.skiff('explain', 'pod', 'nope', '--scheduler', scheduler.url);
    expect(missing).toEqual({
      code: 1,
      out: '',
      err: 'Error from server (NotFound): pods "nope" not found\n',
    });
  });
});

describe('which scheduler skiff explain pod NAME asks', () => {
  const withExtension = (dir: string) =>
    writeKubeconfig(join(dir, 'kubeconfig'), 'http://127.0.0.1:6443', {
      scheduler: 'http://127.0.0.1:40123',
    });

  it.each([
    {
      case: '--scheduler first',
      flags: { scheduler: 'http://flag:1' },
      env: { SKIFF_SCHEDULER_URL: 'http://env:2' },
      want: { url: 'http://flag:1', from: '--scheduler' },
    },
    {
      case: 'then SKIFF_SCHEDULER_URL',
      flags: {},
      env: { SKIFF_SCHEDULER_URL: 'http://env:2' },
      want: { url: 'http://env:2', from: 'SKIFF_SCHEDULER_URL' },
    },
    {
      case: "then the kubeconfig cluster's skiff extension, as skiff up writes it",
      flags: {},
      env: {},
      want: {
        url: 'http://127.0.0.1:40123',
        from: 'the kubeconfig cluster\'s "skiff" extension',
      },
    },
  ])('$case', async ({ flags, env, want }) => {
    const dir = await tempDir('skiff-explain-scheduler-');
    await withExtension(dir);
    const found = await findScheduler(
      { ...flags, kubeconfig: join(dir, 'kubeconfig') },
      { HOME: dir, ...env },
    );
    expect(found).toEqual(want);
  });

  it('finds the extension through KUBECONFIG too, and falls back to port 10259 without one', async () => {
    const dir = await tempDir('skiff-explain-scheduler-');
    await withExtension(dir);
    const viaEnv = await findScheduler({}, { HOME: dir, KUBECONFIG: join(dir, 'kubeconfig') });
    expect(viaEnv.url).toBe('http://127.0.0.1:40123');

    await writeKubeconfig(join(dir, 'plain'), 'http://127.0.0.1:6443');
    const plain = await findScheduler({ kubeconfig: join(dir, 'plain') }, { HOME: dir });
    expect(plain).toEqual({ url: DEFAULT_SCHEDULER_URL, from: "kube-scheduler's default port" });
  });
});
