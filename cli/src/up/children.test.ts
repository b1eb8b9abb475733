import { describe, expect, it } from 'vitest';
import { kubeletChildArgs } from './children.js';
import { stateLayout } from './state-dir.js';

describe('kubeletChildArgs', () => {
  const node = stateLayout('/var/lib/skiff').node('vm');

  it('passes the cluster DNS and domain, as up passes them to a kubelet in its own process', () => {
    const args = kubeletChildArgs('/k', node, 'unix:///r.sock', {
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
    });
    expect(args.join(' ')).toContain('--cluster-dns 10.96.0.10 --cluster-domain cluster.local');
  });

  it('leaves --cluster-dns out when there is none (pods then use the node resolv.conf)', () => {
    const args = kubeletChildArgs('/k', node, 'unix:///r.sock', {
      clusterDNS: [],
      clusterDomain: 'cluster.local',
    });
    expect(args).not.toContain('--cluster-dns');
  });
});
