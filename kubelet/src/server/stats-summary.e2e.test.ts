// The metrics path end to end: a real kubelet on a real runtime serves /stats/summary, the
// apiserver's metrics.k8s.io reads it, and real kubectl top prints it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findVersionedKubectl } from '@skiff/apiserver/testing';
import { eventually } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubelet } from '../kubelet.js';
import { startApiAndRuntime } from '../testing/api-and-runtime.js';
import { e2eKubeletOptions } from '../testing/e2e-kubelet-options.js';
import { skipE2eRuntime, type E2eRuntime } from '../testing/e2e-runtime.js';

const NODE = 'metrics-e2e';
const kubectl = findVersionedKubectl('1.33');

interface PodMetrics {
  containers?: { name: string; usage: { cpu: string; memory: string } }[];
}

describe('metrics from the kubelet on skiff runtime', () => {
  const skipped = skipE2eRuntime('skiff', 'the metrics end-to-end test');
  let client: Client;
  let apiUrl: string;
  let runtime: E2eRuntime;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    ({ client, apiUrl, runtime } = await startApiAndRuntime('skiff-metrics-e2e-', cleanups));
    const kubelet = await Kubelet.start(e2eKubeletOptions(client, runtime, NODE));
    cleanups.push(() => kubelet.shutdown());
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 120_000);

  it("reports a running pod's containers and the node through metrics.k8s.io and kubectl top", async () => {
    await client.pods('default').create({
      metadata: { name: 'sleeper' },
      spec: {
        nodeName: NODE,
        containers: [
          {
            name: 'main',
            image: 'skiff.local/busybox:latest',
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', '3600'],
          },
        ],
      },
    });
    const metrics = await eventually(
      'the pod in metrics.k8s.io',
      async () => {
        const response = await fetch(
          `${apiUrl}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/sleeper`,
        );
        return response.ok && ((await response.json()) as PodMetrics);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const [main] = metrics.containers ?? [];
    expect(main?.name).toBe('main');
    expect(Number(main?.usage.memory)).toBeGreaterThan(0);
    expect(main?.usage.cpu).toMatch(/^\d+n$/);

    const node = await (await fetch(`${apiUrl}/apis/metrics.k8s.io/v1beta1/nodes/${NODE}`)).json();
    expect(node).toMatchObject({ kind: 'NodeMetrics', metadata: { name: NODE } });

    if (!kubectl) return;
    const kubeconfig = join(runtime.dir, 'metrics-kubeconfig');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "${apiUrl}"}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\nusers: [{name: t, user: {}}]\ncurrent-context: t\n`,
    );
    const top = await new Promise<string>((resolve, reject) =>
      execFile(
        kubectl,
        ['--kubeconfig', kubeconfig, 'top', 'pod', '--no-headers'],
        (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(out)),
      ),
    );
    expect(top).toMatch(/^sleeper +\d+m +\d+Mi +\n$/);
  }, 120_000);
});
