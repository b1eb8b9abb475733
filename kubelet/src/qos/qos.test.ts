import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { containerOomScoreAdj, podQOSClass, type QOSClass } from './index.js';

describe('podQOSClass', () => {
  it.each<[string, ReturnType<typeof makePod>, QOSClass]>([
    ['no requests or limits', makePod(), 'BestEffort'],
    [
      'limits only (requests default to them)',
      makePod().limits({ cpu: '1', memory: '1Gi' }),
      'Guaranteed',
    ],
    [
      'requests equal to limits',
      makePod().requests({ cpu: '500m', memory: '1Gi' }).limits({ cpu: '0.5', memory: '1Gi' }),
      'Guaranteed',
    ],
    [
      'requests below limits',
      makePod().requests({ cpu: '100m' }).limits({ cpu: '1', memory: '1Gi' }),
      'Burstable',
    ],
    ['memory limit only', makePod().limits({ memory: '1Gi' }), 'Burstable'],
    [
      'one guaranteed container beside a best-effort one',
      makePod().container('a').limits({ cpu: '1', memory: '1Gi' }).container('b'),
      'Burstable',
    ],
  ])('%s → %s', (_name, builder, want) => {
    expect(podQOSClass(builder.obj())).toBe(want);
  });
});

describe('containerOomScoreAdj', () => {
  const gi = 1024 ** 3;
  it.each<[QOSClass, string | undefined, number]>([
    ['Guaranteed', '1Gi', -997],
    ['BestEffort', undefined, 1000],
    ['Burstable', '1Gi', 875],
    ['Burstable', undefined, 999],
    ['Burstable', '8Gi', 3],
  ])('%s requesting %s of 8Gi → %d', (qos, memory, want) => {
    const container = { name: 'c', resources: memory ? { requests: { memory } } : {} };
    expect(containerOomScoreAdj(qos, container, 8 * gi)).toBe(want);
  });
});
