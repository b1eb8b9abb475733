import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { createFakeClient } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { StaticPodSource } from '../config/static-pod-source.js';
import { MirrorClient, mirrorAction } from './mirror-client.js';
import { StaticPods } from './static-pods.js';

const manifest = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c, image: ${image}}]}\n`;

/** Static pods over a real manifest directory and a fake apiserver; `api` is the informer. */
async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'static-pods-'));
  const clock = new FakeClock();
  const client = createFakeClient({ clock });
  const api = new Map<string, Pod>();
  const refresh = async (): Promise<void> => {
    api.clear();
    for (const pod of (await client.pods('default').list()).items) {
      api.set(pod.metadata.name ?? '', pod);
    }
  };
  const updates: string[] = [];
  const logs: string[] = [];
  const staticPods = new StaticPods({
    source: new StaticPodSource({ path: dir, nodeName: 'node-1', clock, log: (m) => logs.push(m) }),
    mirrors: new MirrorClient({ client, nodeName: 'node-1', nodeUid: () => 'node-uid' }),
    apiPod: (_namespace, name) => api.get(name),
    update: (uid) => updates.push(uid),
    log: (m) => logs.push(m),
  });
  return { dir, client, api, refresh, updates, logs, staticPods };
}

describe('StaticPods', () => {
  it('creates a mirror owned by the Node, with the config.mirror annotation, after the first sync', async () => {
    const { dir, client, refresh, updates, staticPods } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    await staticPods.reload();
    const uid = updates[0] ?? '';
    expect(staticPods.uids()).toEqual([uid]);
    expect(staticPods.statusUid(uid)).toBeUndefined();
    await staticPods.afterSync(uid);
    await refresh();
    const mirror = await client.pods('default').get('web-node-1');
    expect(mirror.metadata.annotations).toMatchObject({
      'kubernetes.io/config.mirror': uid,
      'kubernetes.io/config.hash': uid,
      'kubernetes.io/config.source': 'file',
    });
    expect(mirror.metadata.annotations?.['kubernetes.io/config.seen']).toBeDefined();
    expect(mirror.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'node-uid', controller: true },
    ]);
    expect(mirror.spec.nodeName).toBe('node-1');
    expect(mirror.metadata.uid).not.toBe(uid);
    // Status goes to the mirror's UID; the static pod is synced with the mirror's status.
    expect(staticPods.statusUid(uid)).toBe(mirror.metadata.uid);
    await client.pods('default').patch(
      'web-node-1',
      { status: { phase: 'Running' } },
      {
        type: 'merge',
        subresource: 'status',
      },
    );
    await refresh();
    expect(staticPods.pod(uid)?.status?.phase).toBe('Running');
    expect(staticPods.pod(uid)?.metadata.uid).toBe(uid);
    // A second sync leaves the current mirror alone.
    await staticPods.afterSync(uid);
    expect((await client.pods('default').get('web-node-1')).metadata.uid).toBe(mirror.metadata.uid);
  });

  it('re-syncs the static pod when its mirror is deleted, which makes the mirror again', async () => {
    const { dir, client, refresh, updates, staticPods } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    await staticPods.reload();
    const uid = updates[0] ?? '';
    await staticPods.afterSync(uid);
    const mirror = await client.pods('default').get('web-node-1');
    await client.pods('default').delete('web-node-1', { gracePeriodSeconds: 0 });
    await refresh();
    updates.length = 0;
    expect(staticPods.onApiPod(mirror, true)).toBe(true);
    expect(updates).toEqual([uid]);
    await staticPods.afterSync(uid);
    const again = await client.pods('default').get('web-node-1');
    expect(again.metadata.uid).not.toBe(mirror.metadata.uid);
  });

  it('replaces the mirror when the file changes, and deletes it when the file goes', async () => {
    const { dir, client, refresh, updates, staticPods } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    await staticPods.reload();
    const oldUid = updates[0] ?? '';
    await staticPods.afterSync(oldUid);
    await refresh();

    await writeFile(join(dir, 'web.yaml'), manifest('nginx:2'));
    updates.length = 0;
    await staticPods.reload();
    const newUid = updates.find((u) => u !== oldUid) ?? '';
    expect(updates).toContain(oldUid); // the old pod is stopped
    expect(staticPods.statusUid(newUid)).toBeUndefined(); // the old mirror is not its own
    await staticPods.afterSync(newUid);
    await refresh();
    const replaced = await client.pods('default').get('web-node-1');
    expect(replaced.metadata.annotations?.['kubernetes.io/config.mirror']).toBe(newUid);
    expect(replaced.spec.containers[0]?.image).toBe('nginx:2');

    await rm(join(dir, 'web.yaml'));
    await staticPods.reload();
    expect((await client.pods('default').list()).items).toEqual([]);
  });

  it('deletes a mirror whose static pod is gone, and runs no mirror from the API', async () => {
    const { client, staticPods, updates } = await setup();
    const orphan = await client.pods('default').create({
      metadata: { name: 'old-node-1', annotations: { 'kubernetes.io/config.mirror': 'x' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i' }] },
    });
    expect(staticPods.onApiPod(orphan, false)).toBe(true);
    expect(updates).toEqual([]);
    await staticPods.settled();
    expect((await client.pods('default').list()).items).toEqual([]);
    const plain: Pod = { metadata: { name: 'p', uid: 'u' }, spec: { containers: [] } };
    expect(staticPods.onApiPod(plain, false)).toBe(false);
    expect(staticPods.statusUid('u')).toBe('u');
  });
});

describe('mirrorAction', () => {
  const staticPod: Pod = {
    metadata: { name: 'web-node-1', annotations: { 'kubernetes.io/config.hash': 'h1' } },
    spec: { containers: [] },
  };
  const mirror = (hash: string, deleting = false): Pod => ({
    metadata: {
      name: 'web-node-1',
      annotations: { 'kubernetes.io/config.mirror': hash },
      ...(deleting && { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    },
    spec: { containers: [] },
  });
  it.each([
    ['no mirror', undefined, 'create'],
    ['the current mirror', mirror('h1'), 'keep'],
    ['a mirror of another version', mirror('h0'), 'replace'],
    ['a mirror being deleted', mirror('h1', true), 'replace'],
  ] as const)('%s → %s', (_name, current, want) => {
    expect(mirrorAction(staticPod, current)).toBe(want);
  });
});
