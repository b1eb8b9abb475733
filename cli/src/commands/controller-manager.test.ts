// `skiff controller-manager` as a real process against a real `skiff apiserver`: killed with
// SIGKILL in the middle of a scale-up and started again, it ends with exactly the asked number
// of pods; bad flags are explained.
import { createClient, type Client } from '@skiff/client';
import { makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

async function startApiserver(): Promise<{ client: Client; server: string }> {
  const dir = await tempDir();
  const proc = skiff(['apiserver', '--storage', `embedded:${dir}`, '--port', '0']);
  await expect.poll(() => proc.output(), { timeout: 30_000 }).toContain('listening on');
  const url = /listening on (http:\/\/[\d.:]+)/.exec(proc.output())?.[1] ?? '';
  const client = createClient({ server: url, qps: Infinity });
  onTestFinished(() => client.close());
  return { client, server: url };
}

function controllerManager(server: string, extra: readonly string[] = []) {
  return skiff([
    'controller-manager',
    '--master',
    server,
    '--controllers',
    'replicaset',
    '--port',
    '0',
    '--bind-address',
    '127.0.0.1',
    '--leader-elect-lease-duration',
    '8s',
    '--leader-elect-renew-deadline',
    '6s',
    '--leader-elect-retry-period',
    '500ms',
    ...extra,
  ]);
}

async function podCount(client: Client): Promise<number> {
  return (await client.pods('default').list({ labelSelector: { app: 'web' } })).items.length;
}

describe('skiff controller-manager', () => {
  it('killed with SIGKILL mid-scale and restarted, ends with exactly the asked number of pods', async () => {
    const { client, server } = await startApiserver();
    // Kubernetes' default client rate (20/s, shared with events and lease renewals) makes a
    // scale-up of 300 take long enough for the kill to land in the middle of it.
    const first = controllerManager(server);
    await expect
      .poll(() => first.output(), { timeout: 30_000 })
      .toContain('controllers replicaset');
    await client
      .replicaSets('default')
      .create(makeReplicaSet().name('web').namespace('default').replicas(300).obj());
    await expect
      .poll(() => podCount(client), { timeout: 60_000, interval: 100 })
      .toBeGreaterThanOrEqual(20);
    first.kill('SIGKILL');
    await first.exit;
    const atKill = await podCount(client);
    expect(atKill).toBeLessThan(300);

    const second = controllerManager(server);
    await expect.poll(() => podCount(client), { timeout: 90_000, interval: 100 }).toBe(300);
    await expect
      .poll(async () => (await client.replicaSets('default').get('web')).status?.replicas, {
        timeout: 60_000,
      })
      .toBe(300);
    // Status says 300 from the restarted process's own cache: nothing more is coming.
    expect(await podCount(client)).toBe(300);
    second.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 240_000);

  it('refuses a controller name kube-controller-manager does not know', async () => {
    const proc = skiff([
      'controller-manager',
      '--master',
      'http://127.0.0.1:1',
      '--controllers',
      'replicasets',
    ]);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('"replicasets" is not in the list of known controllers');
  });

  it('explains a bad flag value', async () => {
    const proc = skiff(['controller-manager', '--leader-elect-lease-duration', '15']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--leader-elect-lease-duration: time: invalid duration "15"');
  });

  it.each(['deployment', 'namespace', 'gc'])(
    'takes --concurrent-%s-syncs as a positive count',
    async (name) => {
      const proc = skiff(['controller-manager', `--concurrent-${name}-syncs`, '0']);
      expect(await proc.exit).toBe(2);
      expect(proc.errors()).toContain(`--concurrent-${name}-syncs`);
    },
  );
});
