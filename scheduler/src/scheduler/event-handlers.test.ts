import type { Pod } from '@skiff/api';
import { FakeClock, makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { Cache, Snapshot } from '../cache/index.js';
import { ActionType, nameLabelOnly, NodeAdd, type ClusterEvent } from '../framework/index.js';
import { decodeInterPodAffinityArgs, InterPodAffinity } from '../plugins/inter-pod-affinity.js';
import { SchedulingQueue } from '../queue/index.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';

function setup(
  eventsToRegister: ReadonlyMap<string, readonly ClusterEvent[]> = new Map([
    [
      'NodeResourcesFit',
      [NodeAdd, { resource: 'Pod', action: ActionType.Delete, label: 'AssignedPodDelete' }],
    ],
  ]),
) {
  const clock = new FakeClock();
  const cache = new Cache({ clock, log: () => undefined });
  const queue = new SchedulingQueue({
    clock,
    less: (a, b) => a.timestamp < b.timestamp,
    eventsToRegister,
  });
  const pods = podEventHandler(cache, queue, new Set(['default-scheduler']));
  const nodes = nodeEventHandler(cache, queue);
  const requestedOn = (node: string): number | undefined => {
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    return snapshot.get(node)?.requested.milliCPU;
  };
  return { cache, queue, pods, nodes, requestedOn };
}

const pending = (name: string, schedulerName?: string): Pod => {
  const b = makePod().name(name).namespace('ns').uid(name).requests({ cpu: '1' });
  if (schedulerName) b.schedulerName(schedulerName);
  return b.obj();
};
const bound = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...pod.spec, nodeName: node } });

describe('informer event handlers', () => {
  it('queues unassigned pods of its profiles only', () => {
    const { pods, queue } = setup();
    pods.onAdd(pending('mine'), false);
    pods.onAdd(pending('other', 'other-scheduler'), false);
    expect(queue.pendingPods().active).toBe(1);
  });

  it('moves a pod that got bound from the queue into the cache', () => {
    const { pods, queue, nodes, requestedOn } = setup();
    nodes.onAdd(makeNode().name('n1').capacity({ cpu: '4' }).obj(), false);
    const pod = pending('a');
    pods.onAdd(pod, false);
    pods.onUpdate(pod, bound(pod, 'n1'));
    expect(queue.whereIs(pod)).toBeUndefined();
    expect(requestedOn('n1')).toBe(1000);
  });

  it('frees a finished pod’s resources and tells parked pods', async () => {
    const { pods, queue, nodes, requestedOn } = setup();
    nodes.onAdd(makeNode().name('n1').capacity({ cpu: '4' }).obj(), false);
    const running = bound(pending('done'), 'n1');
    pods.onAdd(running, false);
    pods.onAdd(pending('waiting'), false);
    const info = await queue.pop();
    if (!info) throw new Error('no pod');
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(info);
    pods.onUpdate(running, { ...running, status: { phase: 'Succeeded' } });
    expect(requestedOn('n1')).toBe(0);
    expect(queue.whereIs(pending('waiting'))).toBe('backoff');
  });

  it('drops a deleted pending pod from the queue', () => {
    const { pods, queue } = setup();
    pods.onAdd(pending('a'), false);
    pods.onDelete(pending('a'), { finalStateUnknown: false });
    expect(queue.pendingPods().active).toBe(0);
  });

  describe('an assigned pod’s add, label update or delete, judged by the parked pod’s hints', () => {
    // A pod parked by InterPodAffinity: it wants to share a node with an app=db pod.
    const affinity = new InterPodAffinity(decodeInterPodAffinityArgs({}), {
      snapshot: () => new Snapshot(),
      namespaceLabels: nameLabelOnly,
    });
    const wantsDb = makePod()
      .name('wants-db')
      .namespace('ns')
      .uid('wants-db')
      .podAffinity({
        topologyKey: 'kubernetes.io/hostname',
        labelSelector: { matchLabels: { app: 'db' } },
      })
      .obj();
    const peer = (app: string): Pod =>
      makePod().name('peer').namespace('ns').uid('peer').labels({ app }).node('n1').obj();

    async function parked() {
      const t = setup(new Map([[affinity.name, affinity.eventsToRegister()]]));
      t.nodes.onAdd(makeNode().name('n1').capacity({ cpu: '4' }).obj(), false);
      t.pods.onAdd(wantsDb, false);
      const info = await t.queue.pop();
      if (!info) throw new Error('no pod');
      info.unschedulablePlugins = new Set([affinity.name]);
      t.queue.addUnschedulable(info);
      return t;
    }

    it.each<[string, (t: Awaited<ReturnType<typeof parked>>) => void, string]>([
      ['a pod it wants is added', (t) => t.pods.onAdd(peer('db'), false), 'backoff'],
      ['an unrelated pod is added', (t) => t.pods.onAdd(peer('web'), false), 'unschedulable'],
      [
        'a pending pod it wants is bound',
        (t) => {
          const pending = { ...peer('db'), spec: { ...peer('db').spec, nodeName: '' } };
          t.pods.onUpdate(pending, peer('db'));
        },
        'backoff',
      ],
      [
        'an assigned pod’s labels change to what it wants',
        (t) => {
          t.pods.onAdd(peer('web'), false);
          t.pods.onUpdate(peer('web'), peer('db'));
        },
        'backoff',
      ],
      [
        'an assigned pod it wants changes only its status',
        (t) => {
          const before = peer('web');
          t.pods.onAdd(before, false);
          t.pods.onUpdate(before, { ...before, status: { phase: 'Running' } });
        },
        'unschedulable',
      ],
    ])('%s → %s', async (_what, change, where) => {
      const t = await parked();
      change(t);
      expect(t.queue.whereIs(wantsDb)).toBe(where);
    });
  });
});
