// The proxy against the real kernel, in both modes: a real apiserver holds Services and
// EndpointSlices (written here as the endpointslice controller would), startProxy() programs a
// network namespace of the test's own (see testing/netns-lab.ts), and real TCP connections show
// what the rules do. Needs root; skipped otherwise.
import type { EndpointSlice, Service } from '@skiff/api';
import { makeEndpointSlice, makeNode, makeService } from '@skiff/api/testing';
import { startTestApiServer, type TestApiServer } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type ProxyHandle, type StartProxyOptions } from './start-proxy.js';
import type { ProxyMode } from './proxier/mode.js';
import {
  canBuildLab,
  CLIENT_IP,
  createNetnsLab,
  NODE_IP,
  POD_A_IP,
  POD_B_IP,
  POD_GATEWAY,
  type NetnsLab,
} from './testing/netns-lab.js';

const NODE = 'node-a';
const ns = 'default';

const webService = (): Service =>
  makeService()
    .name('web')
    .namespace(ns)
    .type('NodePort')
    .clusterIP('10.96.0.10')
    .port(80, { name: 'http', targetPort: 8080, nodePort: 30080 })
    .obj();

const webSlice = (...ips: string[]): EndpointSlice => {
  const slice = makeEndpointSlice()
    .name('web-1')
    .namespace(ns)
    .service('web')
    .port(8080, { name: 'http' });
  for (const ip of ips) slice.endpoint(ip, {}, { nodeName: 'node-b' });
  return slice.obj();
};

describe.skipIf(!canBuildLab()).each(['nftables', 'iptables'] as ProxyMode[])(
  'the %s proxier in a network namespace',
  (mode) => {
    let lab: NetnsLab;
    let api: TestApiServer;
    let client: Client;
    let proxy: ProxyHandle | undefined;

    const start = async (): Promise<ProxyHandle> => {
      proxy = await startProxy(proxyOptions());
      return proxy;
    };
    const proxyOptions = (): StartProxyOptions => ({
      client: createClient({ server: api.url, qps: Infinity }),
      nodeName: NODE,
      mode,
      clusterCIDR: '10.244.0.0/16',
      commandPrefix: ['ip', 'netns', 'exec', lab.node],
      healthzBindAddress: '127.0.0.1:0',
      metricsBindAddress: '127.0.0.1:0',
      minSyncPeriodMs: 0,
      log: (m) => process.stderr.write(`proxy (${mode}): ${m}\n`),
    });
    const rules = (): string =>
      mode === 'nftables'
        ? lab.exec(lab.node, ['nft', 'list', 'table', 'ip', 'kube-proxy'])
        : lab.exec(lab.node, ['iptables-save']);
    const applySlice = async (slice: EndpointSlice): Promise<void> => {
      const slices = client.endpointSlices(ns);
      const current = await slices.get(slice.metadata.name ?? '').catch(() => undefined);
      if (current)
        await slices.update({
          ...slice,
          metadata: { ...slice.metadata, resourceVersion: current.metadata.resourceVersion },
        });
      else await slices.create(slice);
    };

    beforeAll(async () => {
      lab = createNetnsLab();
      api = await startTestApiServer({ prefix: 'skiff-proxy-' });
      client = createClient({ server: api.url, qps: Infinity });
      await client
        .nodes()
        .create(makeNode().name(NODE).addresses({ type: 'InternalIP', address: NODE_IP }).obj());
      await client.services(ns).create(webService());
      await applySlice(webSlice('10.244.1.2', '10.244.1.3'));
      await client
        .services(ns)
        .create(makeService().name('empty').namespace(ns).clusterIP('10.96.0.11').port(80).obj());
      await lab.serve(lab.podA, POD_A_IP, 8080, 'A');
      await lab.serve(lab.podB, POD_B_IP, 8080, 'B');
      await start();
    });

    afterAll(async () => {
      await proxy?.stop();
      client?.close();
      await api?.close();
      lab?.destroy();
    });

    it('sends ClusterIP connections to a random ready endpoint', async () => {
      const answers = await lab.connect(lab.node, '10.96.0.10', 80, 24);
      expect(new Set(answers.map((a) => a.split(' ')[0]))).toEqual(new Set(['A', 'B']));
    });

    it('masquerades a pod that reaches itself through its Service (hairpin)', async () => {
      const answers = await lab.connect(lab.podA, '10.96.0.10', 80, 16);
      expect(answers.length).toBe(16);
      for (const answer of answers) {
        // Reaching itself the pod must see the node as the peer, else the reply would skip the NAT.
        expect([`A ${POD_GATEWAY}`, `B ${POD_A_IP}`]).toContain(answer);
      }
    });

    it('answers NodePorts on the node address from outside, masqueraded', async () => {
      const answers = await lab.connect(lab.client, NODE_IP, 30080, 4);
      for (const answer of answers)
        expect(answer).toMatch(new RegExp(`^[AB] ${POD_GATEWAY.replace(/\./g, '\\.')}$`));
    });

    it('answers NodePorts on 127.0.0.1 from the node itself', async () => {
      const [answer] = await lab.connect(lab.node, '127.0.0.1', 30080);
      expect(answer).toMatch(/^[AB] /);
    });

    it('rejects connections to a Service without endpoints instead of dropping them', async () => {
      expect(await lab.connect(lab.node, '10.96.0.11', 80)).toEqual(['ECONNREFUSED']);
      expect(await lab.connect(lab.client, '10.96.0.11', 80)).toEqual(['ECONNREFUSED']);
    });

    it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
      await client.services(ns).create(
        makeService()
          .name('sticky')
          .namespace(ns)
          .clusterIP('10.96.0.12')
          .port(80, { name: 'http', targetPort: 8080 })
          .spec({
            sessionAffinity: 'ClientIP',
            sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
          })
          .obj(),
      );
      const slice = makeEndpointSlice()
        .name('sticky-1')
        .namespace(ns)
        .service('sticky')
        .port(8080, { name: 'http' })
        .endpoint('10.244.1.2')
        .endpoint('10.244.1.3')
        .obj();
      await client.endpointSlices(ns).create(slice);
      await proxy?.syncNow();
      const answers = await lab.connect(lab.node, '10.96.0.12', 80, 12);
      expect(new Set(answers).size).toBe(1);
    });

    it('keeps the client address with externalTrafficPolicy Local, and drops without a local endpoint', async () => {
      await client
        .services(ns)
        .create(
          makeService()
            .name('local')
            .namespace(ns)
            .type('NodePort')
            .clusterIP('10.96.0.13')
            .port(80, { name: 'http', targetPort: 8080, nodePort: 30081 })
            .spec({ externalTrafficPolicy: 'Local' })
            .obj(),
        );
      const slice = makeEndpointSlice()
        .name('local-1')
        .namespace(ns)
        .service('local')
        .port(8080, { name: 'http' });
      await client
        .endpointSlices(ns)
        .create(slice.endpoint('10.244.1.3', {}, { nodeName: 'node-b' }).obj());
      await proxy?.syncNow();
      expect(await lab.connect(lab.client, NODE_IP, 30081, 1, 1000)).toEqual(['ETIMEDOUT']);
      await applySlice(
        makeEndpointSlice()
          .name('local-1')
          .namespace(ns)
          .service('local')
          .port(8080, { name: 'http' })
          .endpoint('10.244.1.3', {}, { nodeName: NODE })
          .obj(),
      );
      await proxy?.syncNow();
      expect(await lab.connect(lab.client, NODE_IP, 30081)).toEqual([`B ${CLIENT_IP}`]);
    });

    it('takes a removed endpoint out of the rules', async () => {
      await applySlice(webSlice('10.244.1.3'));
      await proxy?.syncNow();
      const webRules = rules()
        .split('\n')
        .filter((line) => line.includes('default/web'));
      expect(webRules.join('\n')).toContain('10.244.1.3');
      expect(webRules.join('\n')).not.toContain('10.244.1.2');
      const answers = await lab.connect(lab.node, '10.96.0.10', 80, 8);
      expect(new Set(answers.map((a) => a.split(' ')[0]))).toEqual(new Set(['B']));
    });

    it('serves /healthz and /metrics with the mode and the sync figures', async () => {
      const healthz = await fetch(`${proxy?.healthzUrl ?? ''}/healthz`);
      expect(healthz.status).toBe(200);
      expect(await healthz.json()).toMatchObject({ nodeEligible: true });
      const metrics = await (await fetch(`${proxy?.metricsUrl ?? ''}/metrics`)).text();
      expect(metrics).toContain(`kubeproxy_proxy_mode{mode="${mode}"} 1`);
      expect(metrics).toMatch(/kubeproxy_sync_proxy_rules_duration_seconds_count [1-9]/);
      expect(metrics).toMatch(/kubeproxy_sync_proxy_rules_last_timestamp_seconds \d/);
      expect(metrics).toMatch(
        mode === 'nftables'
          ? /kubeproxy_sync_proxy_rules_nftables_total\{type="rules"\} [1-9]/
          : /kubeproxy_sync_proxy_rules_iptables_total\{table="nat"\} [1-9]/,
      );
      expect(await (await fetch(`${proxy?.metricsUrl ?? ''}/proxyMode`)).text()).toBe(mode);
    });

    it("refuses a second proxy in the namespace, naming the first, and leaves the first's rules alone", async () => {
      // iptables-save dates its output and affinity entries count down: compare the rules.
      const ruleLines = (): string[] =>
        rules()
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .map((l) => l.replace(/ expires \S+/g, ''));
      const before = ruleLines();
      const options = proxyOptions();
      const second = startProxy(options);
      await expect(second).rejects.toThrow(
        new RegExp(
          `^another proxy already programs the Service rules of network namespace /run/netns/${lab.node} \\(inode \\d+\\): pid ${process.pid}, started as `,
        ),
      );
      options.client.close();
      expect(ruleLines()).toEqual(before);
    });

    it('leaves no stale rules after a restart that missed a deletion', async () => {
      await proxy?.stop();
      proxy = undefined;
      await client.services(ns).delete('web');
      await client.endpointSlices(ns).delete('web-1');
      // Still programmed while the proxy is down: the restart must clear it.
      expect(rules()).toContain('10.96.0.10');
      await start();
      expect(rules()).not.toContain('10.96.0.10');
      expect(rules()).not.toContain('30080');
      expect(await lab.connect(lab.node, '10.96.0.12', 80)).toEqual([
        expect.stringMatching(/^[AB] /),
      ]);
    });
  },
);
