import { describe, expect, it } from 'vitest';
import { nthCidr, planNodes } from './node-plan.js';
import { stateLayout } from './state-dir.js';

describe('nthCidr', () => {
  it.each([
    ['10.88.0.0/16', 0, '10.88.0.0/16'],
    ['10.88.0.0/16', 1, '10.89.0.0/16'],
    ['10.231.7.0/24', 2, '10.231.9.0/24'],
    ['10.231.255.0/24', 1, '10.232.0.0/24'],
    ['10.88.3.7/16', 0, '10.88.0.0/16'],
  ])('block %s + %i is %s', (cidr, index, want) => {
    expect(nthCidr(cidr, index)).toBe(want);
  });

  it.each([['10.88.0.0'], ['10.88.0.0/31'], ['10.888.0.0/16'], ['255.255.255.0/24']])(
    'refuses %s as a base for two nodes',
    (cidr) => {
      expect(() => nthCidr(cidr, 1)).toThrow(/--pod-cidr|IPv4/);
    },
  );
});

describe('planNodes', () => {
  it('names nodes after the host and gives each its own bridge and pod block', () => {
    const nodes = planNodes({
      layout: stateLayout('/var/lib/skiff'),
      hostname: 'lab',
      count: 3,
      bridge: 'skiff0',
      podCidr: '10.88.0.0/16',
    });
    expect(nodes.map((n) => [n.layout.name, n.bridge, n.podCidr])).toEqual([
      ['lab', 'skiff0', '10.88.0.0/16'],
      ['lab-2', 'skiff0_2', '10.89.0.0/16'],
      ['lab-3', 'skiff0_3', '10.90.0.0/16'],
    ]);
    expect(nodes[1]?.layout.runtimeSocket).toBe('/var/lib/skiff/nodes/lab-2/runtime.sock');
  });

  it('keeps bridge names within 15 bytes', () => {
    const [, second] = planNodes({
      layout: stateLayout('/s'),
      hostname: 'h',
      count: 2,
      bridge: 'abcdefghijklmno',
      podCidr: '10.88.0.0/16',
    });
    expect(second?.bridge).toBe('abcdefghijkl_2');
  });
});
