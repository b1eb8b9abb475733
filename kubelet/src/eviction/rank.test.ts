import type { Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { evictionMessage } from './message.js';
import { podRequest, rankForEviction, type PodUsage } from './rank.js';
import { parseThresholds } from './thresholds.js';

const Mi = 1024 * 1024;

/** A pod named `name` whose one container `app` uses `usedMi` of memory. */
function pod(name: string, fields: { requestMi?: number; priority?: number } = {}) {
  let builder = makePod().name(name).uid(name);
  if (fields.requestMi !== undefined) {
    builder = builder.requests({ memory: `${fields.requestMi}Mi` }).limits({ memory: '1Gi' });
  }
  if (fields.priority !== undefined) builder = builder.priority(fields.priority);
  return builder.obj();
}

function statsOf(usage: Readonly<Record<string, number>>) {
  return (p: Readonly<Pod>): PodUsage | undefined => {
    const used = usage[p.metadata.name ?? ''];
    return used === undefined
      ? undefined
      : { containers: [{ name: 'app', memoryWorkingSetBytes: used * Mi }] };
  };
}

describe('rankForEviction under memory pressure', () => {
  it.each<[string, Pod[], Record<string, number>, string[]]>([
    [
      'a pod above its requests goes before one within them, whatever their sizes',
      [pod('within', { requestMi: 900 }), pod('above', { requestMi: 10 })],
      { within: 800, above: 20 },
      ['above', 'within'],
    ],
    [
      'BestEffort (no requests) using anything goes before Burstable within its requests',
      [pod('burstable', { requestMi: 500 }), pod('besteffort')],
      { burstable: 400, besteffort: 1 },
      ['besteffort', 'burstable'],
    ],
    [
      'among pods above their requests, lower priority first',
      [pod('high', { priority: 1000 }), pod('low', { priority: 10 })],
      { high: 500, low: 5 },
      ['low', 'high'],
    ],
    [
      'at equal priority, the largest use above the request first',
      [pod('small'), pod('big'), pod('medium', { requestMi: 100 })],
      { small: 50, big: 300, medium: 250 },
      ['big', 'medium', 'small'],
    ],
    [
      'a pod without stats goes first',
      [pod('measured'), pod('unmeasured')],
      { measured: 500 },
      ['unmeasured', 'measured'],
    ],
  ])('%s', (_name, pods, usage, want) => {
    expect(
      rankForEviction('memory.available', pods, statsOf(usage)).map((p) => p.metadata.name),
    ).toEqual(want);
  });
});

describe('rankForEviction under PID pressure', () => {
  it('ranks by priority, then by process count', () => {
    const pods = [pod('a', { priority: 5 }), pod('b', { priority: 1 }), pod('c', { priority: 5 })];
    const processes: Record<string, number> = { a: 3, b: 1, c: 30 };
    const stats = (p: Readonly<Pod>): PodUsage => ({
      containers: [],
      processes: processes[p.metadata.name ?? ''] ?? 0,
    });
    expect(rankForEviction('pid.available', pods, stats).map((p) => p.metadata.name)).toEqual([
      'b',
      'c',
      'a',
    ]);
  });
});

describe('podRequest', () => {
  it('sums the containers and sidecars, takes the largest plain init container if bigger, adds overhead', () => {
    const p = makePod()
      .container('a')
      .requests({ memory: '100Mi' })
      .container('b')
      .requests({ memory: '50Mi' })
      .initContainer('init', { resources: { requests: { memory: '400Mi' } } })
      .initContainer('sidecar', {
        restartPolicy: 'Always',
        resources: { requests: { memory: '10Mi' } },
      })
      .spec({ overhead: { memory: '1Mi' } })
      .obj();
    expect(podRequest(p, 'memory')).toBe(401 * Mi);
  });
});

describe('evictionMessage', () => {
  const thresholds = parseThresholds({ hard: { 'memory.available': '100Mi' } });
  const observations = { 'memory.available': { available: 50 * Mi, capacity: 4096 * Mi } };

  it('names the resource, the threshold, what was left and each container above its request', () => {
    const besteffort = pod('hog');
    const { message, annotations } = evictionMessage(
      'memory',
      besteffort,
      statsOf({ hog: 1024 }),
      thresholds,
      observations,
    );
    expect(message).toBe(
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ' +
        'Container app was using 1Gi, request is 0, has larger consumption of memory. ',
    );
    expect(annotations).toEqual({
      offending_containers: 'app',
      offending_containers_usage: '1Gi',
      starved_resource: 'memory',
    });
  });

  it('leaves out containers within their requests', () => {
    const { message } = evictionMessage(
      'memory',
      pod('calm', { requestMi: 200 }),
      statsOf({ calm: 100 }),
      thresholds,
      observations,
    );
    expect(message).toBe(
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ',
    );
  });

  it('prints a percentage threshold as the amount it comes to', () => {
    const nodefs = parseThresholds({ hard: { 'nodefs.available': '10%' } });
    const { message } = evictionMessage('ephemeral-storage', pod('p'), () => undefined, nodefs, {
      'nodefs.available': { available: 1024 * Mi, capacity: 20480 * Mi },
    });
    expect(message).toBe(
      'The node was low on resource: ephemeral-storage. Threshold quantity: 2Gi, available: 1Gi. ',
    );
  });
});
