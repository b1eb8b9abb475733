import type { Pod } from '@skiff/api';
import { FakeClock, makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { Cache, Snapshot } from '../cache/index.js';
import { ActionType, NodeAdd } from '../framework/index.js';
import { SchedulingQueue } from '../queue/index.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';

function setup() {
  const clock = new FakeClock();
  const cache = new Cache({ clock, log: () => undefined });
  const queue = new SchedulingQueue({
    clock,
    less: (a, b) => a.timestamp < b.timestamp,
    eventsToRegister: new Map([
      [
        'NodeResourcesFit',
        [NodeAdd, { resource: 'Pod', action: ActionType.Delete, label: 'AssignedPodDelete' }],
      ],
    ]),
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
});
