// Partial syncs over nf_tables netlink against the real kernel: they leave the table exactly as
// `nft -f` of the same text does, change by change, and traffic follows them. Namespaces of the
// test's own; needs root (skipped otherwise).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicePortPlan } from '../../model/plan.js';
import { commandRunner, type CommandRunner } from '../../proxier/command.js';
import { planOf, webService, webSlice } from '../../testing/fixtures.js';
import {
  canBuildLab,
  createNetnsLab,
  POD_A_IP,
  POD_B_IP,
  type NetnsLab,
} from '../../testing/netns-lab.js';
import { nftChanges, NFT_CHANGES_CONTEXT } from '../../testing/nft-changes.js';
import { NftablesBackend } from '../backend.js';
import { nftBaseFragment } from '../base.js';
import { NftRuleset } from '../ruleset.js';
import { NftNetlink, NftNetlinkError } from './nft-netlink.js';

const nft = (ns: string, args: readonly string[], input?: string): string =>
  execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
const table = (ns: string): string => nft(ns, ['list', 'table', 'ip', 'kube-proxy']);

describe.skipIf(!canBuildLab())('partial syncs over nf_tables netlink', () => {
  const suffix = randomBytes(3).toString('hex');
  const viaNetlink = `skp-nl-${suffix}`;
  const viaNft = `skp-nft-${suffix}`;
  let netlink: NftNetlink;

  beforeAll(async () => {
    for (const ns of [viaNetlink, viaNft]) execFileSync('ip', ['netns', 'add', ns]);
    netlink = await NftNetlink.open(viaNetlink);
  });

  afterAll(() => {
    netlink?.close();
    for (const ns of [viaNetlink, viaNft]) execFileSync('ip', ['netns', 'delete', ns]);
  });

  it('leaves the table as nft -f of the same change does, change by change', async () => {
    const { initial, changes } = nftChanges();
    const base = nftBaseFragment(NFT_CHANGES_CONTEXT);
    const ruleset = new NftRuleset();
    const first = ruleset.transaction('initial', base, initial, 0);
    for (const ns of [viaNetlink, viaNft]) nft(ns, ['-f', '-'], first.text);
    first.commit();
    for (const [i, { name, updates }] of changes.entries()) {
      const tx = ruleset.transaction('partial', base, updates, (i + 1) * 10_000);
      expect(await netlink.apply(tx.text), name).toBe('applied');
      nft(viaNft, ['-f', '-'], tx.text);
      tx.commit();
      expect(table(viaNetlink), name).toBe(table(viaNft));
    }
  });

  it('reports what the kernel refused, changes nothing, and goes on working', async () => {
    const before = table(viaNetlink);
    const refused = [
      'add chain ip kube-proxy fresh-chain',
      'add rule ip kube-proxy no-such-chain jump fresh-chain',
    ].join('\n');
    const err = await netlink.apply(refused).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NftNetlinkError);
    expect(String(err)).toMatch(/ENOENT.*add rule ip kube-proxy no-such-chain jump fresh-chain/);
    expect(table(viaNetlink)).toBe(before);
    expect(await netlink.apply('add chain ip kube-proxy fresh-chain\n')).toBe('applied');
    expect(table(viaNetlink)).toContain('chain fresh-chain {');
  });
});

describe.skipIf(!canBuildLab())('the nftables backend with netlink partial syncs', () => {
  let lab: NetnsLab;
  const commands: string[][] = [];
  let backend: NftablesBackend;
  const ctx = { clusterCIDR: '10.244.0.0/16', nodePortAddresses: [] };
  const web = (...ips: string[]): Map<string, ServicePortPlan> => {
    const plan = planOf(webService().obj(), webSlice(...ips));
    return new Map([[plan.svc.key, plan]]);
  };
  const endpointsReached = async (): Promise<Set<string>> =>
    new Set((await lab.connect(lab.node, '10.96.0.10', 80, 16)).map((a) => a.split(' ')[0] ?? a));

  beforeAll(async () => {
    lab = createNetnsLab();
    const run = commandRunner(['ip', 'netns', 'exec', lab.node]);
    const recording: CommandRunner = (argv, input) => {
      commands.push([...argv]);
      return run(argv, input);
    };
    backend = new NftablesBackend(recording, { netlink: { netns: lab.node } });
    await lab.serve(lab.podA, POD_A_IP, 8080, 'A');
    await lab.serve(lab.podB, POD_B_IP, 8080, 'B');
    await backend.sync('initial', ctx, web(POD_A_IP));
  });

  afterAll(() => lab?.destroy());

  it('moves traffic as each change says, without running nft', async () => {
    expect(await endpointsReached()).toEqual(new Set(['A']));
    commands.length = 0;
    await backend.sync('partial', ctx, web(POD_B_IP));
    expect(await endpointsReached()).toEqual(new Set(['B']));
    await backend.sync('partial', ctx, web(POD_A_IP, POD_B_IP));
    expect(await endpointsReached()).toEqual(new Set(['A', 'B']));
    await backend.sync('partial', ctx, web());
    expect(await endpointsReached()).toEqual(new Set(['ECONNREFUSED']));
    expect(commands).toEqual([]);
  });
});
