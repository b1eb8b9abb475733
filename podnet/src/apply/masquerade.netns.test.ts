// Masquerade against the real kernel, in both packet filters: a pod reaching a host beyond the
// cluster arrives with its node's address, a pod's traffic to the cluster CIDR keeps its own, and
// removing the rules leaves nothing of ours. Needs root; skipped otherwise.
import { commandRunner } from '@skiff/proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canBuildLab,
  createTwoNodeLab,
  OUTSIDE_IP,
  type TwoNodeLab,
} from '../testing/two-node-lab.js';
import {
  applyMasquerade,
  IPTABLES_CHAIN,
  NFT_TABLE,
  removeMasquerade,
  type PacketFilter,
} from './masquerade.js';

describe.skipIf(!canBuildLab()).each(['nftables', 'iptables'] as PacketFilter[])(
  'masquerade with %s',
  (filter) => {
    let lab: TwoNodeLab;
    const run = () => commandRunner(['ip', 'netns', 'exec', lab.a.ns]);
    const rules = (): string =>
      filter === 'nftables'
        ? lab.exec(lab.a.ns, ['nft', 'list', 'ruleset'])
        : lab.exec(lab.a.ns, ['iptables-save', '-t', 'nat']);

    beforeAll(async () => {
      lab = createTwoNodeLab();
      lab.exec(lab.a.ns, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
      await lab.serve(lab.outside, OUTSIDE_IP, 8080, 'outside');
    });
    afterAll(() => lab?.destroy());

    it('sends pods out with the node address, but not towards pods or Services', async () => {
      // The outside host has no route to pods: without masquerade its answer goes nowhere.
      expect(await lab.connect(lab.a.pod.ns, OUTSIDE_IP, 8080, 500)).toBe('ETIMEDOUT');
      const config = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
      await applyMasquerade(run(), filter, config);
      await applyMasquerade(run(), filter, config); // a resync rewrites, never duplicates
      expect(await lab.connect(lab.a.pod.ns, OUTSIDE_IP, 8080)).toBe(`outside ${lab.a.ip}`);
      // With the outside host inside the Service range its traffic is left alone: no answer again.
      await applyMasquerade(run(), filter, {
        clusterCIDR: '10.244.0.0/16',
        serviceCIDR: '192.168.78.0/24',
      });
      expect(await lab.connect(lab.a.pod.ns, OUTSIDE_IP, 8080, 500)).toBe('ETIMEDOUT');
      if (filter === 'iptables')
        expect(rules().match(new RegExp(`-j ${IPTABLES_CHAIN}`, 'g'))).toHaveLength(1);
    });

    it('removes its rules and nothing else', async () => {
      await removeMasquerade(run());
      expect(rules()).not.toContain(filter === 'nftables' ? NFT_TABLE : IPTABLES_CHAIN);
    });
  },
);
