// Grades the ConfigMap replicator (README.md). `pnpm exercise configmap-replicator` runs these
// against starter/; the normal suite runs them against solution/.
import type { ConfigMap } from '@skiff/api';
import { isNotFound, type Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { EVENTUALLY, startCluster } from '../../testing/cluster.js';
import { REPLICA_OF_LABEL, REPLICATE_LABEL } from './contract.js';
import { addReplicator } from './impl.js';

const SOURCE = 'shared';
const TARGETS = ['team-a', 'team-b'];

async function replicatorCluster(): Promise<Client> {
  const cluster = await startCluster();
  for (const name of [SOURCE, ...TARGETS]) {
    await cluster.client.namespaces().create({ metadata: { name } });
  }
  const manager = cluster.newManager();
  addReplicator(manager, { sourceNamespace: SOURCE });
  cluster.start(manager);
  return cluster.client;
}

function source(name: string, data: Record<string, string>, replicate = true): ConfigMap {
  return {
    metadata: { name, namespace: SOURCE, labels: { [REPLICATE_LABEL]: String(replicate) } },
    data,
  };
}

/** The data of `namespace/name`, or 'absent'. */
async function dataOf(client: Client, namespace: string, name: string): Promise<unknown> {
  try {
    return (await client.configMaps(namespace).get(name)).data ?? {};
  } catch (err) {
    if (isNotFound(err)) return 'absent';
    throw err;
  }
}

const inTargets = (client: Client, name: string) =>
  Promise.all(TARGETS.map((ns) => dataOf(client, ns, name)));

/** Waits until every target namespace holds `expected` (the data, or 'absent') for `name`. */
async function untilEveryTarget(client: Client, name: string, expected: unknown): Promise<void> {
  await expect.poll(() => inTargets(client, name), EVENTUALLY).toEqual(TARGETS.map(() => expected));
}

/** Where most cases start: a labelled `settings` ConfigMap, already copied everywhere. */
async function clusterWithReplicatedSettings(): Promise<Client> {
  const client = await replicatorCluster();
  await client.configMaps(SOURCE).create(source('settings', { mode: 'fast' }));
  await untilEveryTarget(client, 'settings', { mode: 'fast' });
  return client;
}

describe('configmap-replicator', () => {
  it('copies a labelled ConfigMap into every other namespace, marked as a replica', async () => {
    const client = await clusterWithReplicatedSettings();
    const copy = await client.configMaps('team-a').get('settings');
    expect(copy.metadata.labels?.[REPLICA_OF_LABEL]).toBe(SOURCE);
    expect(await dataOf(client, 'default', 'settings')).toEqual({ mode: 'fast' });
  });

  it('does not copy unlabelled ConfigMaps, nor ConfigMaps of other namespaces', async () => {
    const client = await replicatorCluster();
    await client.configMaps(SOURCE).create(source('private', { a: '1' }, false));
    await client.configMaps('team-a').create({
      metadata: { name: 'local', namespace: 'team-a', labels: { [REPLICATE_LABEL]: 'true' } },
    });
    await client.configMaps(SOURCE).create(source('marker', { m: '1' }));
    await untilEveryTarget(client, 'marker', { m: '1' });
    expect(await inTargets(client, 'private')).toEqual(['absent', 'absent']);
    expect(await dataOf(client, 'team-b', 'local')).toBe('absent');
  });

  it('keeps the copies in step with the source', async () => {
    const client = await clusterWithReplicatedSettings();
    const current = await client.configMaps(SOURCE).get('settings');
    await client.configMaps(SOURCE).update({ ...current, data: { mode: 'safe', extra: 'yes' } });
    await untilEveryTarget(client, 'settings', { mode: 'safe', extra: 'yes' });
  });

  it('copies into a namespace created later', async () => {
    const client = await clusterWithReplicatedSettings();
    await client.namespaces().create({ metadata: { name: 'team-c' } });
    await expect
      .poll(() => dataOf(client, 'team-c', 'settings'), EVENTUALLY)
      .toEqual({ mode: 'fast' });
  });

  it('deletes the copies when the source is deleted', async () => {
    const client = await clusterWithReplicatedSettings();
    await client.configMaps(SOURCE).delete('settings');
    await untilEveryTarget(client, 'settings', 'absent');
  });

  it('deletes the copies when the source loses its label', async () => {
    const client = await clusterWithReplicatedSettings();
    const current = await client.configMaps(SOURCE).get('settings');
    await client
      .configMaps(SOURCE)
      .update({ ...current, metadata: { ...current.metadata, labels: {} } });
    await untilEveryTarget(client, 'settings', 'absent');
    expect(await dataOf(client, SOURCE, 'settings')).toEqual({ mode: 'fast' });
  });

  it('puts back a copy that was edited or deleted by hand', async () => {
    const client = await clusterWithReplicatedSettings();
    const copy = await client.configMaps('team-a').get('settings');
    await client.configMaps('team-a').update({ ...copy, data: { mode: 'hacked' } });
    await client.configMaps('team-b').delete('settings');
    await untilEveryTarget(client, 'settings', { mode: 'fast' });
  });

  it("never overwrites or deletes someone else's ConfigMap of the same name", async () => {
    const client = await replicatorCluster();
    await client.configMaps('team-a').create({
      metadata: { name: 'settings', namespace: 'team-a' },
      data: { owner: 'team-a' },
    });
    await client.configMaps(SOURCE).create(source('settings', { mode: 'fast' }));
    await expect
      .poll(() => dataOf(client, 'team-b', 'settings'), EVENTUALLY)
      .toEqual({ mode: 'fast' });
    await client.configMaps(SOURCE).delete('settings');
    await expect.poll(() => dataOf(client, 'team-b', 'settings'), EVENTUALLY).toBe('absent');
    expect(await dataOf(client, 'team-a', 'settings')).toEqual({ owner: 'team-a' });
  });
});
