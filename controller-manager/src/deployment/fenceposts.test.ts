import { makeDeployment } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { rollingDeployment } from './testing/rolling-deployment.js';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './fenceposts.js';

describe('scaledValue', () => {
  it.each([
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 4, true, 1],
    ['25%', 3, false, 0],
    ['100%', 7, false, 7],
    ['0%', 7, true, 0],
  ] as const)('%s of %d (round up %s) is %d', (value, total, up, expected) => {
    expect(scaledValue(value, total, up)).toBe(expected);
  });

  it('refuses a string that is not a percentage', () => {
    expect(() => scaledValue('3', 10, true)).toThrow('not a percentage');
  });
});

describe('resolveFenceposts', () => {
  it.each([
    ['25%', '25%', 10, { maxSurge: 3, maxUnavailable: 2 }],
    [1, 0, 3, { maxSurge: 1, maxUnavailable: 0 }],
    // Both round to zero: one pod may be unavailable, so the rollout can still move.
    ['10%', '10%', 1, { maxSurge: 1, maxUnavailable: 0 }],
    ['0%', '10%', 5, { maxSurge: 0, maxUnavailable: 1 }],
    [0, '20%', 4, { maxSurge: 0, maxUnavailable: 1 }],
  ] as const)('surge %s, unavailable %s of %d', (surge, unavailable, desired, expected) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual(expected);
  });
});

describe('maxSurge and maxUnavailable of a Deployment', () => {
  const rolling = (replicas: number, surge: number | string, unavailable: number | string) =>
    rollingDeployment(replicas, surge, unavailable).obj();

  it('are 0 for Recreate', () => {
    const d = makeDeployment().replicas(3).strategy({ type: 'Recreate' }).obj();
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([0, 0]);
  });

  it('caps maxUnavailable at the desired count and is 0 for 0 replicas', () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
  });

  it('rounds surge up and unavailable down', () => {
    const d = rolling(10, '25%', '25%');
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([3, 2]);
  });
});
