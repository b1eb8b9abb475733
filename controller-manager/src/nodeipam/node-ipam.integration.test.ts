// Node IPAM against a real apiserver: each node gets its own /24 of the cluster CIDR.
import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { eventually, startApiServer, startControllerManagerFor } from '../testing/cluster.js';

// A real apiserver and controller-manager: each wait is for a real condition (`eventually`, up
// to 60 s); the test gets the time a loaded 2-core machine needs.
describe('node IPAM on a real apiserver', { timeout: 120_000 }, () => {
  it('gives every node a distinct pod CIDR, also after a node is deleted and others join', async () => {
    const api = await startApiServer();
    const run = await startControllerManagerFor(api, {
      controllers: ['nodeipam'],
      allocateNodeCidrs: true,
      clusterCidr: '10.200.0.0/16',
    });
    expect(run.started).toEqual(['nodeipam']);
    for (const name of ['a', 'b', 'c'])
      await api.client.nodes().create(makeNode().name(name).obj());
    const cidrs = async () =>
      (await api.client.nodes().list()).items
        .map((n) => n.spec?.podCIDR ?? '')
        .filter((c) => c !== '');
    await eventually(cidrs, (c) => c.length === 3, 'three pod CIDRs');
    await api.client.nodes().delete('b');
    await api.client.nodes().create(makeNode().name('d').obj());
    const final = await eventually(
      cidrs,
      (c) => c.length === 3 && new Set(c).size === 3,
      'd has a CIDR',
    );
    for (const cidr of final) expect(cidr).toMatch(/^10\.200\.\d+\.0\/24$/);
    const d = await api.client.nodes().get('d');
    expect(d.spec?.podCIDRs).toEqual([d.spec?.podCIDR]);
  });

  it('stays off without --allocate-node-cidrs', async () => {
    const api = await startApiServer();
    const run = await startControllerManagerFor(api, { controllers: ['nodeipam'] });
    expect(run.started).toEqual([]);
    expect(run.disabled).toEqual(['nodeipam']);
  });
});
