import { describe, expect, it } from 'vitest';
import { mountOf, propagationProblem } from './mount-propagation.js';
import { parseMountInfo } from './mountinfo.js';

const table = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '30 27 0:40 / /mnt/shared rw,relatime shared:7 - tmpfs tmpfs rw',
  '31 27 0:41 / /mnt/slave rw,relatime master:7 - tmpfs tmpfs rw',
  '32 27 0:42 / /mnt/shared-and-slave rw shared:9 master:7 - tmpfs tmpfs rw',
  '33 27 0:43 / /mnt/with\\040space rw shared:11 - tmpfs tmpfs rw',
  '34 30 0:44 / /mnt/shared/private rw - tmpfs tmpfs rw',
].join('\n');

describe('parseMountInfo', () => {
  it('reads mount points (unescaped) and their optional fields', () => {
    expect(parseMountInfo(table)).toEqual([
      { mountPoint: '/', optional: [] },
      { mountPoint: '/mnt/shared', optional: ['shared:7'] },
      { mountPoint: '/mnt/slave', optional: ['master:7'] },
      { mountPoint: '/mnt/shared-and-slave', optional: ['shared:9', 'master:7'] },
      { mountPoint: '/mnt/with space', optional: ['shared:11'] },
      { mountPoint: '/mnt/shared/private', optional: [] },
    ]);
  });
});

describe('mountOf', () => {
  const entries = parseMountInfo(table);
  it.each([
    ['/mnt/shared', '/mnt/shared'],
    ['/mnt/shared/data/x', '/mnt/shared'],
    ['/mnt/shared/private/y', '/mnt/shared/private'],
    // A name that only starts like a mount point is not under it.
    ['/mnt/shared-and-slavery', '/'],
    ['/mnt/with space/z', '/mnt/with space'],
    ['/var/lib', '/'],
  ])('finds the mount of %s on %s', (path, point) => {
    expect(mountOf(path, entries)?.mountPoint).toBe(point);
  });
});

describe('propagationProblem', () => {
  const entries = parseMountInfo(table);
  const at = (point: string) => {
    const entry = entries.find((e) => e.mountPoint === point);
    if (entry === undefined) throw new Error(`no ${point}`);
    return entry;
  };
  it.each([
    ['/', 'PROPAGATION_PRIVATE', undefined],
    ['/', 'PROPAGATION_HOST_TO_CONTAINER', 'is not a shared or slave mount'],
    ['/', 'PROPAGATION_BIDIRECTIONAL', 'is not a shared mount'],
    ['/mnt/shared', 'PROPAGATION_HOST_TO_CONTAINER', undefined],
    ['/mnt/shared', 'PROPAGATION_BIDIRECTIONAL', undefined],
    ['/mnt/slave', 'PROPAGATION_HOST_TO_CONTAINER', undefined],
    ['/mnt/slave', 'PROPAGATION_BIDIRECTIONAL', 'is not a shared mount'],
    ['/mnt/shared-and-slave', 'PROPAGATION_BIDIRECTIONAL', undefined],
  ] as const)('%s with %s: %s', (point, propagation, problem) => {
    const found = propagationProblem('/data', at(point), propagation);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toBe(`path "/data" is mounted on "${point}" but it ${problem}`);
  });
});
