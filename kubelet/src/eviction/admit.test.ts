import type { Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { admitUnderPressure } from './admit.js';
import type { PressureCondition } from './thresholds.js';

const besteffort = makePod().name('be').obj();
const burstable = makePod().name('bu').requests({ memory: '64Mi' }).obj();
const tolerant = makePod()
  .name('tolerant')
  .tolerations({
    key: 'node.kubernetes.io/memory-pressure',
    operator: 'Exists',
    effect: 'NoSchedule',
  })
  .obj();
const critical = makePod().name('critical').priority(2_000_001_000).obj();

describe('admitUnderPressure', () => {
  it.each<[string, Pod, PressureCondition[], string | undefined]>([
    ['anything without pressure', besteffort, [], undefined],
    ['a Burstable pod under memory pressure', burstable, ['MemoryPressure'], undefined],
    [
      'not a BestEffort pod under memory pressure',
      besteffort,
      ['MemoryPressure'],
      'The node had condition: [MemoryPressure]. ',
    ],
    [
      'a BestEffort pod tolerating the memory-pressure taint',
      tolerant,
      ['MemoryPressure'],
      undefined,
    ],
    [
      'no pod under disk pressure',
      burstable,
      ['MemoryPressure', 'DiskPressure'],
      'The node had condition: [MemoryPressure DiskPressure]. ',
    ],
    ['a critical pod under any pressure', critical, ['DiskPressure', 'PIDPressure'], undefined],
  ])('admits or refuses: %s', (_name, pod, conditions, message) => {
    const rejection = admitUnderPressure(pod, conditions);
    expect(rejection?.message).toBe(message);
    if (rejection) expect(rejection.reason).toBe('Evicted');
  });
});
