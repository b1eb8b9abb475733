// `skiff explain pod NAME` against a real apiserver and a real scheduler: the decision it made
// for a pod that fits one node and not the other, as a table per node.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientFromKubeconfig } from '@skiff/client';
import { defaultSchedulerConfig, startSchedulerApp } from '@skiff/scheduler';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startVerbCluster } from '../kubectl/testing/verb-harness.js';

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
