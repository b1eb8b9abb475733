import { labelSelectorAsSelector, type LabelSelector, type Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { podInfoOf, type PodInfo } from './node-info.js';
import { PodIndex } from './pod-index.js';

const pod = (name: string, labels: Record<string, string>, namespace = 'shop'): Pod =>
  makePod().name(name).namespace(namespace).labels(labels).node('n1').obj();

const pods = [
  pod('web-0', { app: 'web', tier: 'front' }),
  pod('web-1', { app: 'web', tier: 'front', canary: 'yes' }),
  pod('db-0', { app: 'db', tier: 'back' }),
  pod('bare', {}),
  pod('elsewhere', { app: 'web' }, 'ads'),
].map(podInfoOf);

function indexOf(infos: readonly PodInfo[]): PodIndex {
  const index = new PodIndex();
  for (const info of infos) index.add(info);
  return index;
}

function matched(index: PodIndex, namespace: string, ls: LabelSelector | undefined): string[] {
  const names: string[] = [];
  index.forEachMatching(namespace, labelSelectorAsSelector(ls), (i) =>
    names.push(i.pod.metadata.name ?? ''),
  );
  return names.sort();
}

describe('PodIndex.forEachMatching', () => {
  it.each<[string, LabelSelector | undefined, string[]]>([
    ['matchLabels', { matchLabels: { app: 'web' } }, ['web-0', 'web-1']],
    ['two labels', { matchLabels: { app: 'web', canary: 'yes' } }, ['web-1']],
    [
      'In over several values',
      { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] },
      ['db-0', 'web-0', 'web-1'],
    ],
    [
      'Exists',
      { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      ['db-0', 'web-0', 'web-1'],
    ],
    [
      'NotIn also matches pods without the key',
      { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
      ['bare', 'db-0'],
    ],
    [
      'DoesNotExist',
      { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] },
      ['bare', 'db-0', 'web-0'],
    ],
    [
      'an indexed requirement narrowed by a scanned one',
      {
        matchLabels: { tier: 'front' },
        matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }],
      },
      ['web-0'],
    ],
    ['a value no pod has', { matchLabels: { app: 'cache' } }, []],
    ['an empty selector selects the whole namespace', {}, ['bare', 'db-0', 'web-0', 'web-1']],
    ['a missing selector selects nothing', undefined, []],
  ])('%s', (_name, selector, expected) => {
    expect(matched(indexOf(pods), 'shop', selector)).toEqual(expected);
  });

  it('answers only from the namespace asked', () => {
    expect(matched(indexOf(pods), 'ads', { matchLabels: { app: 'web' } })).toEqual(['elsewhere']);
    expect(matched(indexOf(pods), 'none', {})).toEqual([]);
  });

  it('forgets removed pods, their labels and empty namespaces', () => {
    const index = indexOf(pods);
    for (const info of pods.slice(0, 2)) index.remove(info);
    expect(matched(index, 'shop', { matchLabels: { app: 'web' } })).toEqual([]);
    expect(
      matched(index, 'shop', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
    ).toEqual(['db-0']);
    index.remove(pods[4] as PodInfo);
    expect([...index.namespaces()]).toEqual(['shop']);
  });
});

describe('PodIndex.termGroups', () => {
  const antiWeb = (name: string, namespace = 'shop') =>
    podInfoOf(
      makePod()
        .name(name)
        .namespace(namespace)
        .node('n1')
        .podAntiAffinity({
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { app: 'web' } },
        })
        .obj(),
    );

  it('groups equal terms of different pods, and keeps terms of other namespaces apart', () => {
    const a = antiWeb('a');
    const b = antiWeb('b');
    const c = antiWeb('c', 'ads');
    const index = indexOf([a, b, c]);
    const groups = [...index.termGroups('requiredAntiAffinity')];
    expect(groups.map((g) => [...g.pods.keys()].map((p) => p.pod.metadata.name))).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
    expect([...index.termGroups('requiredAffinity')]).toEqual([]);
    index.remove(a);
    index.remove(c);
    expect(
      [...index.termGroups('requiredAntiAffinity')].map((g) => [...g.pods.keys()].length),
    ).toEqual([1]);
  });

  it('keeps preferred terms of different weights apart', () => {
    const preferring = (name: string, weight: number) =>
      podInfoOf(
        makePod()
          .name(name)
          .namespace('shop')
          .node('n1')
          .preferredPodAffinity(weight, {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: { app: 'cache' } },
          })
          .obj(),
      );
    const index = indexOf([preferring('a', 5), preferring('b', 5), preferring('c', 7)]);
    expect([...index.termGroups('preferredAffinity')].map((g) => [g.weight, g.pods.size])).toEqual([
      [5, 2],
      [7, 1],
    ]);
  });
});
