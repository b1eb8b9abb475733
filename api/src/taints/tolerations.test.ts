import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../types/index.js';
import { taintTolerated, toleratesTaint } from './tolerations.js';

const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, boolean]>([
    [
      'Equal with the same key, value and effect',
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      true,
    ],
    ['Equal is the default operator', { key: 'dedicated', value: 'gpu' }, true],
    ['Equal with another value', { key: 'dedicated', value: 'cpu', operator: 'Equal' }, false],
    ['Exists ignores the value', { key: 'dedicated', operator: 'Exists' }, true],
    ['an empty key with Exists tolerates every taint', { operator: 'Exists' }, true],
    ['another key', { key: 'zone', operator: 'Exists' }, false],
    ['another effect', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    [
      'no effect matches every effect',
      { key: 'dedicated', value: 'gpu', effect: '' as Toleration['effect'] },
      true,
    ],
    [
      'an unknown operator tolerates nothing',
      { key: 'dedicated', operator: 'In' as Toleration['operator'] },
      false,
    ],
  ])('%s → %s', (_name, toleration, expected) => {
    expect(toleratesTaint(toleration, gpu)).toBe(expected);
  });

  it('taintTolerated asks every toleration, and none tolerate nothing', () => {
    expect(
      taintTolerated(gpu, [
        { key: 'zone', operator: 'Exists' },
        { key: 'dedicated', operator: 'Exists' },
      ]),
    ).toBe(true);
    expect(taintTolerated(gpu, [])).toBe(false);
    expect(taintTolerated(gpu, undefined)).toBe(false);
  });
});
