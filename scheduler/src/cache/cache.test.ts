import { everything, type Pod } from '@skiff/api';
import { FakeClock, makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { Cache } from './cache.js';
import { Snapshot } from './snapshot.js';

function setup() {
  const clock = new FakeClock();
  const logged: string[] = [];
  const cache = new Cache({ clock, assumedPodTtlMs: 30_000, log: (m) => logged.push(m) });
  cache.addNode(makeNode().name('n1').capacity({ cpu: '4', memory: '8Gi', pods: '110' }).obj());
  cache.addNode(makeNode().name('n2').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj());
  const snapshot = new Snapshot();
  const requestedCpu = (node: string): number | undefined => {
    cache.updateSnapshot(snapshot);
    return snapshot.get(node)?.requested.milliCPU;
  };
  return { clock, cache, snapshot, requestedCpu, logged };
}

const pod = (name: string, node: string, cpu = '1'): Pod =>
  makePod().name(name).namespace('ns').uid(`uid-${name}`).node(node).requests({ cpu }).obj();

describe('Cache', () => {
  it('counts an assumed pod on its node at once, for the next attempt', () => {
    const { cache, requestedCpu } = setup();
    cache.assumePod(pod('a', 'n1'));
    expect(requestedCpu('n1')).toBe(1000);
    expect(cache.isAssumedPod(pod('a', 'n1'))).toBe(true);
  });

  it('confirms an assumed pod when the bound pod is observed, and then never expires it', async () => {
    const { clock, cache, requestedCpu } = setup();
    cache.assumePod(pod('a', 'n1'));
    cache.finishBinding(pod('a', 'n1'));
    cache.addPod(pod('a', 'n1'));
    expect(cache.isAssumedPod(pod('a', 'n1'))).toBe(false);
    cache.run();
    await clock.advance(120_000);
    expect(requestedCpu('n1')).toBe(1000);
    cache.close();
  });

  it('moves a confirmed pod to the node the server says it is bound to', () => {
    const { cache, requestedCpu } = setup();
    cache.assumePod(pod('a', 'n1'));
    cache.addPod(pod('a', 'n2'));
    expect(requestedCpu('n1')).toBe(0);
    expect(requestedCpu('n2')).toBe(1000);
  });

  it('releases the node when binding failed and the pod is forgotten', () => {
    const { cache, requestedCpu } = setup();
    cache.assumePod(pod('a', 'n1'));
    cache.forgetPod(pod('a', 'n1'));
    expect(requestedCpu('n1')).toBe(0);
    expect(cache.counts()).toEqual({ nodes: 2, pods: 0, assumed: 0 });
  });

  it('expires an assumed pod TTL after its binding finished if it is never observed', async () => {
    const { clock, cache, requestedCpu, logged } = setup();
    cache.run();
    cache.assumePod(pod('a', 'n1'));
    // Not yet bound: no deadline, whatever the time.
    await clock.advance(60_000);
    expect(requestedCpu('n1')).toBe(1000);
    cache.finishBinding(pod('a', 'n1'));
    await clock.advance(29_000);
    expect(requestedCpu('n1')).toBe(1000);
    await clock.advance(1_000);
    expect(requestedCpu('n1')).toBe(0);
    expect(logged.join('\n')).toContain('assumed pod ns/a expired');
    cache.close();
  });

  it('refuses to assume a pod it already has', () => {
    const { cache } = setup();
    cache.addPod(pod('a', 'n1'));
    expect(() => cache.assumePod(pod('a', 'n1'))).toThrow(/is in the cache/);
  });

  it('keeps a snapshot unchanged until it is updated, copying only changed nodes', () => {
    const { cache, snapshot } = setup();
    cache.updateSnapshot(snapshot);
    const n1Before = snapshot.get('n1');
    const n2Before = snapshot.get('n2');
    cache.addPod(pod('a', 'n1'));
    expect(snapshot.get('n1')?.pods.length).toBe(0);
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n1')).not.toBe(n1Before);
    expect(snapshot.get('n1')?.pods.length).toBe(1);
    expect(snapshot.get('n2')).toBe(n2Before);
    expect(snapshot.list().map((n) => n.name())).toEqual(['n1', 'n2']);
  });

  it('keeps pods that arrive before their node, and lists the node once it comes', () => {
    const { cache, snapshot } = setup();
    cache.addPod(pod('a', 'n3'));
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n3')).toBeUndefined();
    cache.addNode(makeNode().name('n3').capacity({ cpu: '1' }).obj());
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n3')?.requested.milliCPU).toBe(1000);
    expect(snapshot.list().map((n) => n.name())).toEqual(['n1', 'n2', 'n3']);
  });

  it('drops a removed node from the snapshot', () => {
    const { cache, snapshot } = setup();
    cache.updateSnapshot(snapshot);
    cache.removeNode(makeNode().name('n1').obj());
    cache.updateSnapshot(snapshot);
    expect(snapshot.list().map((n) => n.name())).toEqual(['n2']);
    expect(snapshot.get('n1')).toBeUndefined();
  });

  it('tracks how many nodes hold each image', () => {
    const { cache, snapshot } = setup();
    const image = { names: ['nginx:1'], sizeBytes: 100 };
    cache.addNode(makeNode().name('n1').capacity({ cpu: '4' }).images(image).obj());
    cache.addNode(makeNode().name('n2').capacity({ cpu: '2' }).images(image).obj());
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n1')?.imageStates.get('nginx:1')).toEqual({ sizeBytes: 100, numNodes: 2 });
  });

  it('moves the snapshot’s node generation on node changes only, not on pods', () => {
    const { cache, snapshot } = setup();
    const generation = (): number => {
      cache.updateSnapshot(snapshot);
      return snapshot.nodeGeneration();
    };
    const start = generation();
    cache.assumePod(pod('a', 'n1'));
    cache.addPod(pod('b', 'n2'));
    expect(generation()).toBe(start);
    cache.addNode(makeNode().name('n3').obj());
    const added = generation();
    expect(added).toBeGreaterThan(start);
    cache.removeNode(makeNode().name('n3').obj());
    expect(generation()).toBeGreaterThan(added);
  });

  it('keeps its pods in the snapshot’s pod index, assumed ones included, until they are gone', () => {
    const { cache, snapshot } = setup();
    const indexed = (): string[] => {
      cache.updateSnapshot(snapshot);
      const names: string[] = [];
      snapshot
        .podIndex()
        .forEachMatching('ns', everything(), (i) => names.push(i.pod.metadata.name ?? ''));
      return names.sort();
    };
    cache.assumePod(pod('a', 'n1'));
    cache.addPod(pod('b', 'n2'));
    expect(indexed()).toEqual(['a', 'b']);
    cache.forgetPod(pod('a', 'n1'));
    cache.removePod(pod('b', 'n2'));
    expect(indexed()).toEqual([]);
  });
});
