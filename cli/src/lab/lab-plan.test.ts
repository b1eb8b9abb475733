import { describe, expect, it } from 'vitest';
import { labPaths } from './lab-record.js';
import { freeSubnet, overlaps, planLab } from './lab-plan.js';

const paths = labPaths('/tmp/lab');

describe('planLab', () => {
  it('gives the host .1, the control plane .10 and node-i .10+i with its own pod range', () => {
    const lab = planLab({ id: 'ab12', nodes: 2, routing: 'vxlan', subnet: '10.213.4.0/24', paths });
    expect(lab.hostIP).toBe('10.213.4.1');
    expect(lab.vms.map((v) => [v.name, v.ip, v.podCIDR, v.netns, v.dir])).toEqual([
      ['control-plane', '10.213.4.10', undefined, 'skl-ab12-cp', '/tmp/lab/vms/control-plane'],
      ['node-1', '10.213.4.11', '10.244.1.0/24', 'skl-ab12-n1', '/tmp/lab/vms/node-1'],
      ['node-2', '10.213.4.12', '10.244.2.0/24', 'skl-ab12-n2', '/tmp/lab/vms/node-2'],
    ]);
    expect(lab.hostInterface.length).toBeLessThanOrEqual(15);
  });

  it.each([
    [{ nodes: 0, subnet: '10.213.0.0/24' }, '--nodes 0'],
    [{ nodes: 2, subnet: '10.213.0.1/24' }, 'host bits'],
    [{ nodes: 2, subnet: '10.213.0.0' }, 'want an IPv4 CIDR'],
    [{ nodes: 5, subnet: '10.213.0.0/28' }, 'no room'],
  ])('refuses %j', (bad, message) => {
    expect(() => planLab({ id: 'x', routing: 'host-gw', paths, ...bad })).toThrow(message);
  });
});

describe('freeSubnet', () => {
  it.each([
    [[], '10.213.0.0/24'],
    [['default', '10.213.0.0/24', '10.213.1.7'], '10.213.2.0/24'],
    [['10.0.0.0/8'], undefined],
  ])('with host routes %j takes %s', (routes, want) => {
    if (want === undefined) expect(() => freeSubnet(routes)).toThrow('--subnet');
    else expect(freeSubnet(routes)).toBe(want);
  });

  it('tells overlapping ranges', () => {
    expect(overlaps('10.213.0.0/24', '10.213.0.128/25')).toBe(true);
    expect(overlaps('10.213.0.0/24', '10.213.1.0/24')).toBe(false);
  });
});
