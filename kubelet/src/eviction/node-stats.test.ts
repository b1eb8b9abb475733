import { describe, expect, it } from 'vitest';
import {
  observationsFrom,
  parseMeminfo,
  parseMemoryStat,
  readFs,
  threadsFromLoadavg,
} from './node-stats.js';

describe('observationsFrom', () => {
  it('memory.available is the capacity minus the working set (usage less inactive file cache)', () => {
    expect(
      observationsFrom({
        memory: { capacityBytes: 1000, usageBytes: 700, inactiveFileBytes: 200 },
      }),
    ).toEqual({ 'memory.available': { available: 500, capacity: 1000 } });
  });

  it('imagefs falls back to nodefs when the runtime names no image filesystem', () => {
    const nodefs = { availableBytes: 10, capacityBytes: 100, inodesFree: 5, inodes: 50 };
    expect(observationsFrom({ nodefs })).toEqual({
      'nodefs.available': { available: 10, capacity: 100 },
      'nodefs.inodesFree': { available: 5, capacity: 50 },
      'imagefs.available': { available: 10, capacity: 100 },
      'imagefs.inodesFree': { available: 5, capacity: 50 },
    });
  });

  it('pid.available is the pid limit minus the threads that exist', () => {
    expect(observationsFrom({ pids: { maxPids: 32768, running: 768 } })).toEqual({
      'pid.available': { available: 32000, capacity: 32768 },
    });
  });
});

describe('kernel file parsers', () => {
  it('reads /proc/meminfo in bytes', () => {
    const meminfo = parseMeminfo(
      'MemTotal:       24683784 kB\nMemFree:  100 kB\nHugePages_Total:       0\n',
    );
    expect([
      meminfo.get('MemTotal'),
      meminfo.get('MemFree'),
      meminfo.get('HugePages_Total'),
    ]).toEqual([24683784 * 1024, 102400, 0]);
  });

  it('reads memory.stat', () => {
    expect(parseMemoryStat('cache 10\ntotal_inactive_file 42\n').get('total_inactive_file')).toBe(
      42,
    );
  });

  it('counts threads from /proc/loadavg', () => {
    expect(threadsFromLoadavg('4.48 2.63 2.04 6/154 18134\n')).toBe(154);
  });

  it('reads a real filesystem with statfs', async () => {
    const fs = await readFs('/');
    expect(fs.capacityBytes).toBeGreaterThan(0);
    expect(fs.availableBytes).toBeLessThanOrEqual(fs.capacityBytes);
    expect(fs.inodesFree).toBeLessThanOrEqual(fs.inodes);
  });
});
