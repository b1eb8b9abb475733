import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVICTION_HARD,
  parseGracePeriodFlag,
  parseMinimumReclaimFlag,
  parseThresholdFlag,
  parseThresholds,
  thresholdKey,
  thresholdQuantity,
} from './thresholds.js';

describe('parseThresholdFlag', () => {
  it('reads the --eviction-hard syntax into signal → value', () => {
    expect(
      parseThresholdFlag('--eviction-hard', 'memory.available<100Mi, nodefs.available<10%'),
    ).toEqual({
      'memory.available': '100Mi',
      'nodefs.available': '10%',
    });
  });

  it('refuses an entry without "<", naming the flag', () => {
    expect(() => parseThresholdFlag('--eviction-hard', 'memory.available=100Mi')).toThrow(
      /--eviction-hard: "memory.available=100Mi" is not/,
    );
  });

  it('reads grace periods as signal=duration', () => {
    expect(parseGracePeriodFlag('--eviction-soft-grace-period', 'memory.available=1m30s')).toEqual({
      'memory.available': '1m30s',
    });
  });
});

describe('parseThresholds', () => {
  it('makes hard thresholds with no grace period and soft ones with theirs', () => {
    const thresholds = parseThresholds({
      hard: { 'memory.available': '100Mi' },
      soft: { 'nodefs.available': '15%' },
      softGracePeriod: { 'nodefs.available': '2m' },
    });
    expect(thresholds.map(thresholdKey)).toEqual([
      'memory.available<100Mi@0',
      'nodefs.available<15%@120000',
    ]);
  });

  it('takes 0% and 100% as "off", as Kubernetes does', () => {
    expect(
      parseThresholds({ hard: { 'nodefs.available': '0%', 'pid.available': '100%' } }),
    ).toEqual([]);
  });

  it('parses the Linux defaults', () => {
    expect(parseThresholds({ hard: DEFAULT_EVICTION_HARD }).map((t) => t.signal)).toEqual([
      'memory.available',
      'nodefs.available',
      'nodefs.inodesFree',
      'imagefs.available',
    ]);
  });

  it.each([
    [{ hard: { 'memory.free': '1Gi' } }, /unsupported eviction signal memory.free/],
    [{ hard: { 'memory.available': '-1Gi' } }, /must be positive/],
    [{ hard: { 'memory.available': '0' } }, /must be positive/],
    [{ hard: { 'nodefs.available': '120%' } }, /must be <= 100%/],
    [{ hard: { 'nodefs.available': 'lots' } }, /eviction threshold nodefs.available/],
    [{ hard: {}, soft: { 'memory.available': '1Gi' } }, /grace period must be specified/],
    [
      {
        hard: {},
        soft: { 'memory.available': '1Gi' },
        softGracePeriod: { 'memory.available': 'soon' },
      },
      /is not a duration/,
    ],
    [
      { hard: {}, minimumReclaim: { 'nodefs.available': '0%' } },
      /eviction percentage minimum reclaim nodefs.available must be positive: 0%/,
    ],
    [
      { hard: {}, minimumReclaim: { 'memory.available': '-1Mi' } },
      /negative eviction minimum reclaim specified for memory.available/,
    ],
    [{ hard: {}, minimumReclaim: { 'memory.free': '1Mi' } }, /unsupported eviction signal/],
  ])('refuses %j', (statements, message) => {
    expect(() => parseThresholds(statements)).toThrow(message);
  });
});

describe('evictionMinimumReclaim', () => {
  it('gives every threshold of a signal its minimum reclaim, hard and soft alike', () => {
    const thresholds = parseThresholds({
      hard: { 'nodefs.available': '10%', 'memory.available': '100Mi' },
      soft: { 'nodefs.available': '20%' },
      softGracePeriod: { 'nodefs.available': '1m' },
      minimumReclaim: { 'nodefs.available': '500Mi', 'imagefs.available': '2Gi' },
    });
    expect(thresholds.map(thresholdKey)).toEqual([
      'nodefs.available<10%+500Mi@0',
      'memory.available<100Mi@0',
      'nodefs.available<20%+500Mi@60000',
    ]);
  });

  it('reads the flag form, signal=quantity or a percentage', () => {
    expect(
      parseMinimumReclaimFlag(
        '--eviction-minimum-reclaim',
        'memory.available=0Mi, nodefs.available=5%',
      ),
    ).toEqual({ 'memory.available': '0Mi', 'nodefs.available': '5%' });
    expect(() => parseMinimumReclaimFlag('--eviction-minimum-reclaim', 'memory.available')).toThrow(
      '--eviction-minimum-reclaim: "memory.available" is not <signal>=<quantity>',
    );
  });
});

describe('thresholdQuantity', () => {
  it.each([
    ['an absolute quantity ignores the capacity', '100Mi', 1000, 100 * 1024 * 1024],
    ['a percentage is a share of the capacity, truncated', '10%', 1005, 100],
  ])('%s', (_name, text, capacity, want) => {
    const [threshold] = parseThresholds({ hard: { 'memory.available': text } });
    expect(threshold && thresholdQuantity(threshold.value, capacity)).toBe(want);
  });
});
