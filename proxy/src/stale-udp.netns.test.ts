// Stale UDP flows to a Service, on the real kernel in both modes: a client keeps sending from
// one source port to a UDP Service (its ClusterIP from the node, its NodePort from outside); the
// Service's endpoint moves from pod A to pod B, and once the proxy has synced, the very next
// datagram of each flow reaches B — kube-proxy's conntrack clean-up. (Without it, the entries
// would keep their NAT to A, which still answers, for as long as the client keeps sending.)
import type { ChildProcess } from 'node:child_process';
import type { EndpointSlice } from '@skiff/api';
import {
  askUdp,
  makeEndpointSlice,
  makeNode,
  makeService,
  udpNameServer,
} from '@skiff/api/testing';
import { startTestApiServer, type TestApiServer } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyMode } from './proxier/mode.js';
import { startProxy, type ProxyHandle } from './start-proxy.js';
import {
  canBuildLab,
  createNetnsLab,
  NODE_IP,
  POD_A_IP,
  POD_B_IP,
  type NetnsLab,
} from './testing/netns-lab.js';

const NODE = 'node-a';
const ns = 'default';
const CLUSTER_IP = '10.96.0.53';

const dnsSlice = (ip: string): EndpointSlice =>
  makeEndpointSlice()
    .name('dns-1')
    .namespace(ns)
    .service('dns')
    .port(5353, { name: 'dns', protocol: 'UDP' })
    .endpoint(ip, {}, { nodeName: 'node-b' })
    .obj();

describe.skipIf(!canBuildLab()).each(['nftables', 'iptables'] as ProxyMode[])(
  'stale UDP flows with the %s proxier',
  (mode) => {
    let lab: NetnsLab;
    let api: TestApiServer;
    let client: Client;
    let proxy: ProxyHandle | undefined;
    const servers: ChildProcess[] = [];

    beforeAll(async () => {
      lab = createNetnsLab();
      api = await startTestApiServer({ prefix: 'skiff-proxy-udp-' });
      client = createClient({ server: api.url, qps: Infinity });
      await client
        .nodes()
        .create(makeNode().name(NODE).addresses({ type: 'InternalIP', address: NODE_IP }).obj());
      await client
        .services(ns)
        .create(
          makeService()
            .name('dns')
            .namespace(ns)
            .type('NodePort')
            .clusterIP(CLUSTER_IP)
            .port(53, { name: 'dns', protocol: 'UDP', targetPort: 5353, nodePort: 30053 })
            .obj(),
        );
      await client.endpointSlices(ns).create(dnsSlice(POD_A_IP));
      servers.push(await udpNameServer(lab.podA, 5353, 'A'));
      servers.push(await udpNameServer(lab.podB, 5353, 'B'));
      proxy = await startProxy({
        client: createClient({ server: api.url, qps: Infinity }),
        nodeName: NODE,
        mode,
        clusterCIDR: '10.244.0.0/16',
        commandPrefix: ['ip', 'netns', 'exec', lab.node],
        healthzBindAddress: null,
        metricsBindAddress: null,
        minSyncPeriodMs: 0,
        log: (m) => process.stderr.write(`proxy (${mode}): ${m}\n`),
      });
      await proxy.syncNow();
    });

    afterAll(async () => {
      for (const server of servers) server.kill('SIGKILL');
      await proxy?.stop();
      client?.close();
      await api?.close();
      lab?.destroy();
    });

    it('moves a flow to the new endpoint once the endpoint changes', async () => {
      const toClusterIP = (): Promise<string> => askUdp(lab.node, CLUSTER_IP, 53, 40053);
      const toNodePort = (): Promise<string> => askUdp(lab.client, NODE_IP, 30053, 40054);
      expect([await toClusterIP(), await toNodePort()]).toEqual(['A', 'A']);
      expect([await toClusterIP(), await toNodePort()]).toEqual(['A', 'A']);

      const slices = client.endpointSlices(ns);
      const current = await slices.get('dns-1');
      await slices.update({ ...dnsSlice(POD_B_IP), metadata: { ...current.metadata } });
      await expect
        .poll(
          () =>
            lab.exec(
              lab.node,
              mode === 'nftables' ? ['nft', 'list', 'ruleset'] : ['iptables-save'],
            ),
          {
            timeout: 10_000,
          },
        )
        .toContain(POD_B_IP);
      await proxy?.syncNow();

      expect([await toClusterIP(), await toNodePort()]).toEqual(['B', 'B']);
    });
  },
);
