// Stale chains against the real kernel and the real `nft`: a partial sync that removes a
// Service port, or an endpoint, must never delete a chain something still jumps to. Deleting
// them in the same transaction, in fragment order, is what failed with "Device or resource
// busy" (the endpoint chain before the service chain whose vmap jumps to it, the service chain
// before the external chain that goes to it). Both ways of deleting them run here: flushed and
// deleted in one transaction (this kernel), and deleted by a later one (kernels before 6.2).
// Needs root and nft; skipped otherwise.
import { FakeClock, makeService } from '@skiff/api/testing';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { nftNames } from '../model/names.js';
import type { ServicePortPlan } from '../model/plan.js';
import { CommandError, commandRunner } from '../proxier/command.js';
import { canBuildLab } from '../testing/netns-lab.js';
import { planOf, readyEndpoint, WEB_KEY, webSlice } from '../testing/fixtures.js';
import { NftablesBackend } from './backend.js';
import { STALE_CHAIN_GRACE_MS } from './ruleset.js';

const ctx: RuleContext = { clusterCIDR: '10.244.0.0/16', nodePortAddresses: ['192.168.1.10'] };

/** ns/web as a NodePort with ClientIP affinity: every kind of chain and set a Service has. */
const web = (...ips: string[]): ServicePortPlan =>
  planOf(
    makeService()
      .name('web')
      .namespace('ns')
      .clusterIP('10.96.0.10')
      .type('NodePort')
      .spec({ sessionAffinity: 'ClientIP' })
      .port(80, { name: 'http', nodePort: 30080 })
      .obj(),
    webSlice(...ips),
  );

describe.skipIf(!canBuildLab())('nftables stale chains on the real kernel', () => {
  const ns = `skp-stale-${randomBytes(3).toString('hex')}`;
  const inNs = ['ip', 'netns', 'exec', ns];
  const nft = (...args: string[]): string =>
    execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8' });
  const chains = (): string[] =>
    nft('list', 'table', 'ip', 'kube-proxy')
      .split('\n')
      .map((l) => /^\s*chain (\S+) \{/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);

  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  afterAll(() => {
    execFileSync('ip', ['netns', 'delete', ns]);
  });

  it('is refused by the kernel when a chain goes before the chain that jumps to it', async () => {
    const run = commandRunner(inNs);
    await run(
      ['nft', '-f', '-'],
      [
        'add table ip skp-order',
        'add chain ip skp-order endpoint',
        'add chain ip skp-order service',
        'add rule ip skp-order service numgen random mod 1 vmap { 0 : goto endpoint }',
      ].join('\n'),
    );
    const deleteInFragmentOrder = run(
      ['nft', '-f', '-'],
      'delete chain ip skp-order endpoint\ndelete chain ip skp-order service\n',
    );
    await expect(deleteInFragmentOrder).rejects.toThrow(CommandError);
    await expect(deleteInFragmentOrder).rejects.toThrow(/Device or resource busy/);
    await run(['nft', 'delete', 'table', 'ip', 'skp-order']);
  });

  describe.each([
    ['in the same transaction, flushed first', false],
    ['a second later, as on kernels before 6.2', true],
  ])('deleting stale chains %s', (_how, deferStaleChainDeletion) => {
    const grace = deferStaleChainDeletion ? STALE_CHAIN_GRACE_MS : 0;
    const setup = () => {
      const clock = new FakeClock();
      const log: string[] = [];
      const backend = new NftablesBackend(commandRunner(inNs), {
        clock,
        log: (m) => log.push(m),
        deferStaleChainDeletion,
      });
      /** The sync a moment later that deletes what is left (none when nothing is). */
      const cleanup = async (): Promise<void> => {
        await clock.advance(grace);
        const outcome = await backend.sync('partial', ctx, new Map());
        expect(outcome.cleanupAt).toBeUndefined();
      };
      return { clock, log, backend, cleanup };
    };

    it('removes a NodePort Service with affinity in one partial sync, then its chains', async () => {
      const { clock, log, backend, cleanup } = setup();
      await backend.sync('initial', ctx, new Map([[WEB_KEY, web('10.244.1.2', '10.244.1.3')]]));
      const webChains = chains().filter((c) => c.includes('ns/web/'));
      expect(webChains).toHaveLength(4); // service, external, two endpoints

      const removal = await backend.sync('partial', ctx, new Map([[WEB_KEY, undefined]]));
      expect(removal.cleanupAt).toBe(deferStaleChainDeletion ? clock.now() + grace : undefined);
      expect(nft('list', 'table', 'ip', 'kube-proxy')).not.toMatch(/10\.96\.0\.10|affinity-|dnat/);
      // Deferred, they are still there, flushed: they jump nowhere and nothing jumps to them.
      for (const chain of chains().filter((c) => c.includes('ns/web/')))
        expect(nft('list', 'chain', 'ip', 'kube-proxy', chain)).not.toMatch(/goto|jump/);

      await cleanup();
      expect(chains().filter((c) => c.includes('ns/web/'))).toEqual([]);
      expect(log).toEqual([]);
    });

    it('replaces endpoints, takes a flushed endpoint chain back, and deletes the ones left over', async () => {
      const { log, backend, cleanup } = setup();
      const endpointChain = (ip: string) => nftNames.endpoint(WEB_KEY, readyEndpoint(ip));
      const endpointChains = () => chains().filter((c) => c.startsWith('endpoint-'));
      await backend.sync('initial', ctx, new Map([[WEB_KEY, web('10.244.1.2', '10.244.1.3')]]));
      await backend.sync('partial', ctx, new Map([[WEB_KEY, web('10.244.1.3')]]));
      // .2 comes back as .3 goes: a flushed .2 chain is filled again, not deleted.
      await backend.sync('partial', ctx, new Map([[WEB_KEY, web('10.244.1.2')]]));
      expect(nft('list', 'chain', 'ip', 'kube-proxy', nftNames.cluster(WEB_KEY))).toContain(
        `0 : goto ${endpointChain('10.244.1.2')}`,
      );
      expect(nft('list', 'chain', 'ip', 'kube-proxy', endpointChain('10.244.1.2'))).toContain(
        'dnat to 10.244.1.2:8080',
      );
      await cleanup();
      expect(endpointChains()).toEqual([endpointChain('10.244.1.2')]);
      // A full resync finds nothing to refuse either.
      await backend.sync('full', ctx, new Map([[WEB_KEY, web('10.244.1.4')]]));
      await cleanup();
      expect(endpointChains()).toEqual([endpointChain('10.244.1.4')]);
      expect(log).toEqual([]);
    });
  });
});
