import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, run } from './exec.js';
import {
  askFromHost,
  askFromNetns,
  failIfUnavailable,
  kernelTestsUnavailable,
  makeOutsideNetwork,
  makeTestNetwork,
  removeTestLeftovers,
  skipOutsideCi,
  startEchoServer,
  type EchoServer,
  type TestNetwork,
} from './kernel-test-kit.js';
import type { NatMode } from './nat.js';
import { PodNetwork, type PodNetworkAttachment } from './pod-network.js';

// Outbound NAT, proven with packets: a namespace standing in for "the world" is reachable from the
// host but has no route back to the pod CIDR, so a pod's connection to it succeeds only if the
// host masquerades the pod's address. Each backend is installed, checked, and removed.

const unavailable = kernelTestsUnavailable();

const natTools: readonly { mode: Exclude<NatMode, 'auto' | 'none'>; debianPackage: string }[] = [
  { mode: 'iptables', debianPackage: 'iptables' },
  { mode: 'nft', debianPackage: 'nftables' },
];

describe.skipIf(skipOutsideCi(unavailable, 'the outbound NAT kernel tests'))('outbound NAT', () => {
  let net: TestNetwork;
  let outsideNetns: string;
  let outsideServer: EchoServer | undefined;
  let pod: PodNetworkAttachment;
  let podNetns: string;
  // The host's address on the link to the outside: what the outside sees when NAT works.
  let hostOutsideIp: string;
  let outsideIp: string;

  const network = (nat: NatMode, extra: { searchPath?: string; log?: (m: string) => void } = {}) =>
    new PodNetwork({
      stateDir: net.stateDir,
      bridgeName: net.bridgeName,
      podCidr: net.podCidr,
      nat,
      log: () => undefined,
      ...extra,
    });

  beforeAll(async () => {
    failIfUnavailable(unavailable);
    net = await makeTestNetwork();
    ({ netns: outsideNetns, hostIp: hostOutsideIp, ip: outsideIp } = await makeOutsideNetwork(net));
    outsideServer = await startEchoServer(outsideNetns, 9090);

    const setup = await network('none').setUp(net.sandboxId('client'));
    if (setup.hostNetwork) throw new Error('the client pod unexpectedly got the host network');
    pod = setup;
    podNetns = `skiff-${net.sandboxId('client')}`;
  });

  afterAll(async () => {
    await outsideServer?.stop();
    // Deleting the outside namespace takes its veth, and with it the host end, along.
    if (net !== undefined) await removeTestLeftovers(net, [outsideNetns]);
  });

  it('cannot reach beyond the node without NAT (the outside has no route to pods)', async () => {
    // Forwarding on, so the only thing missing is the translation.
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1\n');
    expect(await askFromHost(outsideIp, 9090)).toBe(hostOutsideIp);
    await expect(askFromNetns(podNetns, outsideIp, 9090, 1500)).rejects.toThrow(/timed out/);
  });

  describe.each(natTools)('with $mode', ({ mode, debianPackage }) => {
    it('masquerades pod traffic leaving the node, idempotently, and removes its rules', async () => {
      if (findExecutable(mode, process.env.PATH ?? '') === undefined) {
        throw new Error(
          `\`${mode}\` is missing (Debian package ${debianPackage}); CI must install it`,
        );
      }
      const natted = network(mode);
      expect(natted.natTool).toBe(mode);
      await natted.init();
      await natted.init();
      await network(mode).init();

      expect(await natRules(mode, net)).toHaveLength(1);
      expect((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe('1');
      expect(await natted.status()).toEqual({ ready: true });
      // The outside answers with the address it saw: the host's, not the pod's.
      expect(await askFromNetns(podNetns, outsideIp, 9090)).toBe(hostOutsideIp);
      // Inside the node nothing is translated: the host still sees the pod's own address.
      expect(pod.ip).not.toBe(hostOutsideIp);

      await natted.uninstall();
      expect(await natRules(mode, net)).toHaveLength(0);
      // uninstall removed the bridge too; put it back for the next case.
      await network('none').setUp(net.sandboxId('client'));
    });
  });

  it('removes the bridge-matching rules of a runtime from before routed veths', async () => {
    const comment = (what: string) => [
      '-m',
      'comment',
      '--comment',
      `skiff ${net.bridgeName} ${net.podCidr}: ${what}`,
    ];
    const legacy = [
      [
        'nat',
        'POSTROUTING',
        '-s',
        net.podCidr,
        '!',
        '-o',
        net.bridgeName,
        ...comment('masquerade'),
        '-j',
        'MASQUERADE',
      ],
      ['filter', 'FORWARD', '-i', net.bridgeName, ...comment('from pods'), '-j', 'ACCEPT'],
    ];
    for (const [table = '', chain = '', ...spec] of legacy) {
      await run('iptables', ['-w', '-t', table, '-A', chain, ...spec]);
    }
    await network('iptables').uninstall();
    const left = await run('iptables-save', []);
    expect(left).not.toContain(`skiff ${net.bridgeName} ${net.podCidr}`);
    await network('none').setUp(net.sandboxId('client'));
  });

  it('keeps host↔pod networking and says why when neither iptables nor nft exists', async () => {
    const onlyIp = mkdtempSync(join(tmpdir(), 'skiff-only-ip-'));
    try {
      const ip = findExecutable('ip', process.env.PATH ?? '');
      if (ip === undefined) throw new Error('`ip` is missing');
      symlinkSync(ip, join(onlyIp, 'ip'));
      const logged: string[] = [];
      const bare = network('auto', { searchPath: onlyIp, log: (m) => logged.push(m) });

      expect(bare.natTool).toBeUndefined();
      const setup = await bare.setUp(net.sandboxId('bare'));
      if (setup.hostNetwork) throw new Error('unexpected host network');
      const server = await startEchoServer(`skiff-${net.sandboxId('bare')}`);
      try {
        expect(await askFromHost(setup.ip, server.port)).toBe(setup.gateway);
      } finally {
        await server.stop();
      }
      expect(await bare.status()).toEqual({
        ready: true,
        reason: 'OutboundNATUnavailable',
        message: expect.stringContaining('neither iptables nor nft is on PATH'),
      });
      expect(logged).toEqual([expect.stringContaining('outbound NAT skipped')]);
      await bare.tearDown(net.sandboxId('bare'));
    } finally {
      rmSync(onlyIp, { recursive: true, force: true });
    }
  });
});

/** This network's masquerade rules as the tool itself lists them. */
async function natRules(mode: 'iptables' | 'nft', net: TestNetwork): Promise<string[]> {
  if (mode === 'iptables') {
    const rules = await run('iptables', ['-w', '-t', 'nat', '-S', 'POSTROUTING']);
    return rules
      .split('\n')
      .filter(
        (r) => r.includes(`-s ${net.podCidr} ! -d ${net.podCidr}`) && r.includes('MASQUERADE'),
      );
  }
  const tables = await run('nft', ['list', 'tables', 'ip']);
  if (!tables.includes(`skiff_${net.bridgeName}`)) return [];
  const table = await run('nft', ['list', 'table', 'ip', `skiff_${net.bridgeName}`]);
  return table.split('\n').filter((line) => line.includes('masquerade'));
}
