// `skiff scheduler` as a real process against a real `skiff apiserver`: it binds a pending pod,
// serves /healthz and Kubernetes' scheduler metrics, and stops on SIGTERM; a bad --config is
// refused at start with the field path.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff scheduler', { timeout: 120_000 }, () => {
  it('binds a pending pod, serves /healthz and /metrics, and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const api = skiff(['apiserver', '--storage', `embedded:${dir}/state`, '--port', '0']);
    await expect.poll(() => api.output(), { timeout: 60_000 }).toContain('listening on');
    const server = /listening on (http:\/\/[\d.:]+)/.exec(api.output())?.[1] ?? '';
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
    );
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    await post(`${server}/api/v1/nodes`, node);
    const status = {
      ...node,
      status: {
        capacity: { cpu: '2', memory: '2Gi', pods: '10' },
        allocatable: { cpu: '2', memory: '2Gi', pods: '10' },
      },
    };
    const put = await fetch(`${server}/api/v1/nodes/n1/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: status.status }),
    });
    expect(put.ok).toBe(true);
    await post(`${server}/api/v1/namespaces/default/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '500m' } } }],
      },
    });

    const proc = skiff([
      'scheduler',
      '--kubeconfig',
      kubeconfig,
      '--port',
      '0',
      '--bind-address',
      '127.0.0.1',
      '--leader-elect=false',
    ]);
    await expect.poll(() => proc.output(), { timeout: 60_000 }).toContain('serving http://');
    const url = /serving (http:\/\/[\d.:]+)/.exec(proc.output())?.[1] ?? '';
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${server}/api/v1/namespaces/default/pods/web`)).json()) as {
              spec: { nodeName?: string };
            }
          ).spec.nodeName,
        {
          timeout: 60_000,
        },
      )
      .toBe('n1');
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(
      'scheduler_schedule_attempts_total{result="scheduled",profile="default-scheduler"} 1',
    );
    expect(metrics).toContain('scheduler_pending_pods{queue="active"} 0');
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('refuses a config with a bad score weight, naming the field', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- plugins:\n    score:\n      enabled:\n      - name: NodeResourcesFit\n        weight: 0\n',
    );
    const proc = skiff(['scheduler', '--config', config, '--kubeconfig', join(dir, 'none')]);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain(
      'profiles[0].plugins.score.enabled[0].weight: Invalid value: 0',
    );
  });
});
