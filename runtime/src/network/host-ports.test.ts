import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, run } from './exec.js';
import type { HostPortMode } from './host-ports.js';
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
import { PodNetwork, type PodNetworkAttachment } from './pod-network.js';

// hostPort, proven with connections: a pod runs a server that answers with the address it saw,
// and the host port is reached from localhost, from the node's own address, from a namespace
// standing in for another machine, and from the pod itself (hairpin), with each backend.

const unavailable = kernelTestsUnavailable();

const backends: readonly { mode: Exclude<HostPortMode, 'auto' | 'none'>; pkg: string }[] = [
  { mode: 'nft', pkg: 'nftables' },
  { mode: 'iptables', pkg: 'iptables' },
];

/**
 * A host port no test of this machine is likely to use at the same time, below the kernel's
 * ephemeral range (32768+), where servers listening on port 0 land: a refused connection then
 * means no forward, not someone else's server.
 */
function randomHostPort(): number {
  return 20000 + Math.floor(Math.random() * 12000);
}

describe.skipIf(skipOutsideCi(unavailable, 'the hostPort kernel tests'))('host ports', () => {
  let net: TestNetwork;
  let outsideNetns: string;
  let hostOutsideIp: string;
  let outsideIp: string;

  beforeAll(async () => {
    failIfUnavailable(unavailable);
    net = await makeTestNetwork();
    ({ netns: outsideNetns, hostIp: hostOutsideIp, ip: outsideIp } = await makeOutsideNetwork(net));
  });

  afterAll(async () => {
    if (net !== undefined) await removeTestLeftovers(net, [outsideNetns]);
  });

  describe.each(backends)('with $mode', ({ mode, pkg }) => {
    let network: PodNetwork;
    let pod: PodNetworkAttachment;
    let server: EchoServer | undefined;
    const hostPort = randomHostPort();
    const boundPort = hostPort + 1;
    const sandboxId = (): string => net.sandboxId(`hp-${mode}`);
    const podNetns = (): string => `skiff-${sandboxId()}`;

    beforeAll(async () => {
      if (findExecutable(mode, process.env.PATH ?? '') === undefined) {
        throw new Error(`\`${mode}\` is missing (Debian package ${pkg}); CI must install it`);
      }
      network = newNetwork(mode);
      const setup = await network.setUp(sandboxId(), {
        portMappings: [
          { protocol: 'tcp', hostPort, containerPort: 8080, hostIp: '' },
          { protocol: 'tcp', hostPort: boundPort, containerPort: 8080, hostIp: hostOutsideIp },
        ],
      });
      if (setup.hostNetwork) throw new Error('unexpected host network');
      pod = setup;
      server = await startEchoServer(podNetns(), 8080);
    });

    afterAll(async () => {
      await server?.stop();
      await network?.tearDown(sandboxId());
      await network?.uninstall();
    });

    it('forwards from localhost, masqueraded to the bridge address', async () => {
      expect(network.hostPortTool).toBe(mode);
      expect(await askFromHost('127.0.0.1', hostPort)).toBe(pod.gateway);
    });

    it("forwards from the node's own addresses", async () => {
      expect(await askFromHost(pod.gateway, hostPort)).toBe(pod.gateway);
      expect(await askFromHost(hostOutsideIp, hostPort)).toBe(hostOutsideIp);
    });

    it('forwards from another machine, which the pod sees as itself', async () => {
      expect(await askFromNetns(outsideNetns, hostOutsideIp, hostPort)).toBe(outsideIp);
    });

    it('forwards the pod to itself through the host port (hairpin)', async () => {
      expect(await askFromNetns(podNetns(), pod.gateway, hostPort)).toBe(pod.gateway);
    });

    it('forwards a port bound to a host IP only on that address', async () => {
      expect(await askFromHost(hostOutsideIp, boundPort)).toBe(hostOutsideIp);
      await expect(askFromHost('127.0.0.1', boundPort)).rejects.toThrow(/ECONNREFUSED/);
    });

    it('sets the same forwards again without duplicating them', async () => {
      await network.setUp(sandboxId(), {
        portMappings: [{ protocol: 'tcp', hostPort, containerPort: 8080, hostIp: '' }],
      });
      expect(await forwardCount(mode, net, sandboxId())).toBe(1);
      expect(await askFromHost('127.0.0.1', hostPort)).toBe(pod.gateway);
    });

    it('removes the forwards with the network, and a new runtime removes stale ones', async () => {
      await network.tearDown(sandboxId());
      expect(await forwardCount(mode, net, sandboxId())).toBe(0);
      await expect(askFromHost('127.0.0.1', hostPort)).rejects.toThrow(/ECONNREFUSED/);

      // A sandbox whose record is gone (the runtime died while removing it) keeps its forwards
      // until a runtime starts again: reconcile finds them by their owner and removes them.
      const stale = net.sandboxId(`stale-${mode}`);
      await network.setUp(stale, {
        portMappings: [{ protocol: 'udp', hostPort, containerPort: 53, hostIp: '' }],
      });
      expect(await forwardCount(mode, net, stale)).toBe(1);
      expect(await newNetwork(mode).reconcile([])).toContain(stale);
      expect(await forwardCount(mode, net, stale)).toBe(0);
    });
  });

  function newNetwork(mode: HostPortMode): PodNetwork {
    return new PodNetwork({
      stateDir: net.stateDir,
      bridgeName: net.bridgeName,
      podCidr: net.podCidr,
      nat: 'none',
      hostPorts: mode,
      log: () => undefined,
    });
  }
});

/** The DNAT rules of a sandbox, as the tool itself lists them. */
async function forwardCount(mode: string, net: TestNetwork, sandboxId: string): Promise<number> {
  const owner = `skiff-sandbox ${sandboxId}`;
  if (mode === 'iptables') {
    const rules = await run('iptables', ['-w', '-t', 'nat', '-S']);
    return rules.split('\n').filter((r) => r.includes(`"${owner}"`) && r.includes('DNAT')).length;
  }
  const tables = await run('nft', ['list', 'tables', 'ip']);
  if (!tables.includes(`skiff_hostports_${net.bridgeName}`)) return 0;
  const table = await run('nft', ['list', 'table', 'ip', `skiff_hostports_${net.bridgeName}`]);
  return table.split('\n').filter((l) => l.includes(`"${owner}"`) && l.includes('dnat')).length;
}
