// `skiff controller-manager` as a real process against a real `skiff apiserver`: killed with
// SIGKILL in the middle of a scale-up and started again, it ends with exactly the asked number
// of pods; bad flags are explained.
import { createClient, type Client } from '@skiff/client';
import { makeReplicaSet } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSkiff as skiff, tempDir, type SkiffProcess } from '../testing/skiff-process.js';

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
    // Kubernetes' default lease: long enough that a leader starved on a busy machine keeps it.
    // The restarted process waits it out after the SIGKILL, which the waits below allow for.
    '--leader-elect-lease-duration',
    '15s',
    '--leader-elect-renew-deadline',
    '10s',
    '--leader-elect-retry-period',
    '2s',
    ...extra,
  ]);
}

/**
 * Counts the pods while `proc` runs; once it has exited (say, having lost its lease) the poll
 * fails with the process's own words instead of a bare count.
 */
function podCountWhile(client: Client, proc: SkiffProcess): () => Promise<number> {
  let exit: number | null | undefined;
  void proc.exit.then((code) => (exit = code));
  return async () => {
    if (exit !== undefined)
      throw new Error(`controller-manager exited (${exit}):\n${proc.errors()}`);
    return podCount(client);
  };
}

async function podCount(client: Client): Promise<number> {
  return (await client.pods('default').list({ labelSelector: { app: 'web' } })).items.length;
}

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff controller-manager', { timeout: 120_000 }, () => {
  it('killed with SIGKILL mid-scale and restarted, ends with exactly the asked number of pods', async () => {
    const { client, server } = await startApiserver();
    // Kubernetes' default client rate (20/s, shared with events and lease renewals) makes a
    // scale-up of 300 take long enough for the kill to land in the middle of it.
    const first = controllerManager(server);
    await expect
      .poll(() => first.output(), { timeout: 60_000 })
      .toContain('controllers replicaset');
    await client
      .replicaSets('default')
      .create(makeReplicaSet().name('web').namespace('default').replicas(300).obj());
    await expect
      .poll(podCountWhile(client, first), { timeout: 120_000, interval: 100 })
      .toBeGreaterThanOrEqual(20);
    first.kill('SIGKILL');
    await first.exit;
    const atKill = await podCount(client);
    expect(atKill).toBeLessThan(300);

    const second = controllerManager(server);
    // It takes over once the killed leader's lease has run out (15 s on its own clock).
    await expect.poll(podCountWhile(client, second), { timeout: 180_000, interval: 100 }).toBe(300);
    await expect
      .poll(async () => (await client.replicaSets('default').get('web')).status?.replicas, {
        timeout: 60_000,
      })
      .toBe(300);
    // Status says 300 from the restarted process's own cache: nothing more is coming.
    expect(await podCount(client)).toBe(300);
    second.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 480_000);

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
