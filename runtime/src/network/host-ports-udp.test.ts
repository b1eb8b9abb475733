// A UDP host port that changes pods, proven with datagrams: a client on another "machine" keeps
// sending from one source port, as a DNS client or a game does; its flow is NATed to the first
// pod, and once the host port belongs to a second pod the very next datagram reaches that one.
// Without deleting the connection-tracking entry (portmap does; so does skiff), it would keep
// its old NAT to the first pod's address, now gone, for as long as the client keeps sending.
import type { ChildProcess } from 'node:child_process';
import { askUdp, udpNameServer } from '@skiff/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failIfUnavailable,
  kernelTestsUnavailable,
  makeOutsideNetwork,
  makeTestNetwork,
  removeTestLeftovers,
  skipOutsideCi,
  type TestNetwork,
} from './kernel-test-kit.js';
import { PodNetwork } from './pod-network.js';

const unavailable = kernelTestsUnavailable();

describe.skipIf(skipOutsideCi(unavailable, 'the UDP hostPort kernel test'))(
  'a UDP host port that moves to another pod',
  () => {
    let net: TestNetwork;
    let outsideNetns = '';
    let hostOutsideIp = '';
    let network: PodNetwork;
    const servers: ChildProcess[] = [];
    const hostPort = 20000 + Math.floor(Math.random() * 12000);
    const clientPort = 20000 + Math.floor(Math.random() * 12000);

    beforeAll(async () => {
      failIfUnavailable(unavailable);
      net = await makeTestNetwork();
      ({ netns: outsideNetns, hostIp: hostOutsideIp } = await makeOutsideNetwork(net));
      network = new PodNetwork({
        stateDir: net.stateDir,
        bridgeName: net.bridgeName,
        podCidr: net.podCidr,
        nat: 'none',
        log: () => undefined,
      });
    });

    afterAll(async () => {
      for (const server of servers) server.kill('SIGKILL');
      for (const name of ['udp-old', 'udp-new']) await network?.tearDown(net.sandboxId(name));
      await network?.uninstall();
      if (net !== undefined) await removeTestLeftovers(net, [outsideNetns]);
    });

    it('sends the next datagram of a flow to the new pod', async () => {
      const udp = { protocol: 'udp' as const, hostPort, containerPort: 5353, hostIp: '' };
      const oldPod = net.sandboxId('udp-old');
      const newPod = net.sandboxId('udp-new');
      await network.setUp(oldPod, { portMappings: [udp] });
      await network.setUp(newPod, {});
      servers.push(await udpNameServer(`skiff-${oldPod}`, 5353, 'old pod'));
      servers.push(await udpNameServer(`skiff-${newPod}`, 5353, 'new pod'));
      expect(await askUdp(outsideNetns, hostOutsideIp, hostPort, clientPort)).toBe('old pod');
      expect(await askUdp(outsideNetns, hostOutsideIp, hostPort, clientPort)).toBe('old pod');

      // The old pod goes, the new one takes the port.
      await network.tearDown(oldPod);
      await network.setUp(newPod, { portMappings: [udp] });
      expect(await askUdp(outsideNetns, hostOutsideIp, hostPort, clientPort)).toBe('new pod');
    });
  },
);
