import type { Taint, Toleration } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { TaintToleration } from './taint-toleration.js';
import { filterOutcome, nodeInfoOf, scoresOf, verdict } from './testing/plugin-harness.js';

const plugin = new TaintToleration();
const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('TaintToleration Filter', () => {
  it.each<[string, Taint[], Toleration[], string]>([
    ['no taints', [], [], 'Success'],
    [
      'untolerated NoSchedule',
      [gpu],
      [],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      'untolerated NoExecute',
      [{ key: 'k', value: 'v', effect: 'NoExecute' }],
      [],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {k: v}',
    ],
    ['PreferNoSchedule does not filter', [{ key: 'k', effect: 'PreferNoSchedule' }], [], 'Success'],
    [
      'Equal with the same value',
      [gpu],
      [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }],
      'Success',
    ],
    [
      'Equal by default',
      [gpu],
      [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      'Success',
    ],
    [
      'Equal with another value',
      [gpu],
      [{ key: 'dedicated', value: 'db' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    ],
    ['Exists ignores the value', [gpu], [{ key: 'dedicated', operator: 'Exists' }], 'Success'],
    ['empty key with Exists tolerates everything', [gpu], [{ operator: 'Exists' }], 'Success'],
    [
      'another effect does not tolerate',
      [gpu],
      [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      'the first untolerated taint is named',
      [gpu, { key: 'b', value: '', effect: 'NoSchedule' }],
      [{ key: 'dedicated', operator: 'Exists' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {b: }',
    ],
  ])('%s', (_name, taints, tolerations, expected) => {
    const node = makeNode()
      .name('n1')
      .taints(...taints)
      .obj();
    const pod = makePod()
      .tolerations(...tolerations)
      .obj();
    expect(verdict(filterOutcome(plugin, pod, nodeInfoOf(node)))).toBe(expected);
  });
});

describe('TaintToleration Score', () => {
  it('ranks nodes lower the more untolerated PreferNoSchedule taints they have', () => {
    const prefer = (key: string): Taint => ({ key, value: 'x', effect: 'PreferNoSchedule' });
    const nodes = [
      nodeInfoOf(makeNode().name('clean').obj()),
      nodeInfoOf(makeNode().name('one').taints(prefer('a')).obj()),
      nodeInfoOf(makeNode().name('two').taints(prefer('a'), prefer('b')).obj()),
      nodeInfoOf(makeNode().name('tolerated').taints(prefer('c')).obj()),
    ];
    const pod = makePod()
      .tolerations({ key: 'c', operator: 'Exists', effect: 'PreferNoSchedule' })
      .obj();
    expect(scoresOf(plugin, pod, nodes)).toEqual({ clean: 100, one: 50, two: 0, tolerated: 100 });
  });
});
