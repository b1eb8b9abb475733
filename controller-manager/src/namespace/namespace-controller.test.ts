import type { Namespace, NamespaceCondition } from '@skiff/api';
import { makeConfigMap, makeNamespace, makePod } from '@skiff/api/testing';
import type { KubeObject } from '@skiff/client';
import type { Action } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { listerOf, unitFixture } from '../testing/fixture.js';
import type { DiscoveredResource, DiscoveryResult } from './discovery.js';
import { NamespaceController } from './namespace-controller.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const served: DiscoveredResource[] = [
  { group: '', version: 'v1', resource: 'configmaps', verbs },
  { group: '', version: 'v1', resource: 'pods', verbs },
];

function terminating(name = 'shop'): Namespace {
  const ns = makeNamespace()
    .name(name)
    .phase('Terminating')
    .deletionTimestamp('2026-01-01T00:00:00Z')
    // The fake tracker knows metadata.finalizers only, not a namespace's spec.finalizers: this
    // one keeps the namespace stored across status writes, as `kubernetes` does on a server.
    .finalizers('test.skiff.dev/keep')
    .obj();
  return { ...ns, spec: { finalizers: ['kubernetes'] } };
}

function setup(
  ns: Namespace,
  content: KubeObject[],
  discover: () => Promise<DiscoveryResult> = () =>
    Promise.resolve({ resources: served, failedGroups: new Map(), unparsableGroupVersions: [] }),
) {
  const f = unitFixture([ns, ...content]);
  // The fake client does not serve namespaces/finalize: record the PUT and answer with its body.
  f.client.prependReactor('update', 'namespaces/finalize', (a) => ({ object: a.object }));
  const controller = new NamespaceController({
    ...f.context,
    client: f.client,
    namespaces: listerOf([ns]),
    discovery: { namespacedResources: discover },
    queue: f.queue,
  });
  const sync = () => controller.reconcile({ name: ns.metadata.name ?? '' }, f.signal);
  const conditions = async (): Promise<Record<string, NamespaceCondition>> => {
    const current = await f.client.namespaces().get(ns.metadata.name ?? '');
    return Object.fromEntries((current.status?.conditions ?? []).map((c) => [c.type, c]));
  };
  return { ...f, sync, conditions };
}

const writes = (actions: Action[]) =>
  actions
    .filter((a) => a.verb !== 'get' && a.verb !== 'list')
    .map((a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}`);

describe('namespace controller', () => {
  it('leaves a namespace that is not being deleted alone', async () => {
    const ns = makeNamespace().name('shop').obj();
    const t = setup(ns, [makeConfigMap().name('c').namespace('shop').obj()]);
    expect(await t.sync()).toEqual({});
    expect(writes(t.client.actions())).toEqual([]);
  });

  it('deletes the content, sets the healthy conditions and finalizes an emptied namespace', async () => {
    const t = setup(terminating(), [
      makeConfigMap().name('settings').namespace('shop').obj(),
      makeConfigMap().name('elsewhere').namespace('other').obj(),
      makePod().name('unbound').namespace('shop').obj(),
    ]);
    expect(await t.sync()).toEqual({});
    expect(writes(t.client.actions())).toEqual([
      'delete-collection configmaps',
      'delete-collection pods',
      'update namespaces/status',
      'update namespaces/finalize',
    ]);
    const finalize = t.client.actions().find((a) => a.subresource === 'finalize');
    expect((finalize?.object as Namespace).spec?.finalizers).toEqual([]);
    expect((await t.client.configMaps('other').list()).items).toHaveLength(1);
    const c = await t.conditions();
    expect(Object.values(c).map((x) => [x.type, x.status, x.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
  });

  it('reports pods still terminating and looks again after half their grace period', async () => {
    const bound = (name: string) =>
      makePod().name(name).namespace('shop').node('n1').phase('Running').obj();
    const t = setup(terminating(), [bound('a'), bound('b')]);
    // The default grace period is 30 s: Kubernetes waits 30/2 + 1 s.
    expect(await t.sync()).toEqual({ requeueAfter: 16_000 });
    const c = await t.conditions();
    expect(c.NamespaceContentRemaining).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 2 resource instances',
    });
    expect(writes(t.client.actions())).not.toContain('update namespaces/finalize');
  });

  it('reports finalizers holding content and keeps the namespace', async () => {
    const held = makeConfigMap()
      .name('held')
      .namespace('shop')
      .finalizers('example.com/hold')
      .obj();
    const t = setup(terminating(), [held]);
    expect(await t.sync()).toEqual({ requeueAfter: 8_000 });
    const c = await t.conditions();
    expect(c.NamespaceFinalizersRemaining).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message:
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    expect(c.NamespaceContentRemaining?.message).toBe(
      'Some resources are remaining: configmaps. has 1 resource instances',
    );
  });

  it('keeps a transition time while a condition stays the same', async () => {
    const bound = makePod().name('a').namespace('shop').node('n1').phase('Running').obj();
    const t = setup(terminating(), [bound]);
    await t.sync();
    const first = (await t.conditions()).NamespaceContentRemaining;
    await t.clock.advance(5_000);
    await t.sync();
    expect((await t.conditions()).NamespaceContentRemaining).toEqual(first);
    expect(writes(t.client.actions()).filter((w) => w === 'update namespaces/status')).toHaveLength(
      1,
    );
  });

  it.each([
    {
      case: 'discovery fails outright',
      discover: () => Promise.reject(new Error('connection refused')),
      message: 'connection refused',
      deletes: [],
    },
    {
      case: 'one group cannot be discovered',
      discover: () =>
        Promise.resolve({
          resources: served,
          failedGroups: new Map([
            ['example.com/v1', 'the server is currently unable to handle the request'],
          ]),
          unparsableGroupVersions: [],
        }),
      message:
        'Discovery failed for some groups, 1 failing: map[example.com/v1:the server is currently unable to handle the request]',
      deletes: ['delete-collection configmaps', 'delete-collection pods'],
    },
  ])(
    'sets DiscoveryFailed and does not finalize when $case',
    async ({ discover, message, deletes }) => {
      const t = setup(terminating(), [makeConfigMap().name('c').namespace('shop').obj()], discover);
      await expect(t.sync()).rejects.toThrow(message);
      expect((await t.conditions()).NamespaceDeletionDiscoveryFailure).toMatchObject({
        status: 'True',
        reason: 'DiscoveryFailed',
        message,
      });
      expect(writes(t.client.actions())).toEqual([...deletes, 'update namespaces/status']);
    },
  );

  it('sets ContentDeletionFailed with the apiserver message when a delete fails', async () => {
    const t = setup(terminating(), [makeConfigMap().name('c').namespace('shop').obj()]);
    t.client.prependReactor('delete-collection', 'configmaps', () => ({
      error: new Error('etcdserver: request timed out'),
    }));
    await expect(t.sync()).rejects.toThrow('etcdserver: request timed out');
    expect((await t.conditions()).NamespaceDeletionContentFailure).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: etcdserver: request timed out',
    });
  });

  it('falls back to one delete per object when the collection delete is not allowed', async () => {
    const t = setup(terminating(), [makeConfigMap().name('c').namespace('shop').obj()], () =>
      Promise.resolve({
        resources: [
          { group: '', version: 'v1', resource: 'configmaps', verbs: ['delete', 'list'] },
        ],
        failedGroups: new Map(),
        unparsableGroupVersions: [],
      }),
    );
    expect(await t.sync()).toEqual({});
    expect(writes(t.client.actions())).toEqual([
      'delete configmaps',
      'update namespaces/status',
      'update namespaces/finalize',
    ]);
  });

  it('enqueues only namespaces being deleted', () => {
    const t = setup(terminating(), []);
    const controller = new NamespaceController({
      ...t.context,
      client: t.client,
      namespaces: listerOf<Namespace>([]),
      discovery: { namespacedResources: () => Promise.reject(new Error('unused')) },
      queue: t.queue,
    });
    controller.onNamespaceChange(makeNamespace().name('live').obj());
    controller.onNamespaceChange(terminating('going'));
    expect(t.queued).toEqual(['/going']);
  });
});
