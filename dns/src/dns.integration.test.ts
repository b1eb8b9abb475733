// startDns against a real apiserver, asked over real UDP and TCP on loopback, with a real DNS
// server on loopback as its upstream.
import type { EndpointSlice, Service } from '@skiff/api';
import { eventually, makeEndpointSlice, makeService } from '@skiff/api/testing';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDns, type DnsOptions } from './dns.js';
import type { HostPort } from './host-port.js';
import { kubeDnsAddresses } from './kube-dns.js';
import { ask } from './testing/ask.js';
import { closedUdpPort } from './testing/closed-port.js';
import { startStaticDnsServer } from './testing/static-dns-server.js';

async function apiClient(): Promise<Client> {
  const api = await startTestApiServer({ prefix: 'skiff-dns-' });
  const client = createClient({ server: api.url, qps: Infinity });
  onTestFinished(async () => {
    client.close();
    await api.close();
  });
  return client;
}

async function serve(
  options: Omit<DnsOptions, 'listen'>,
): Promise<{ at: HostPort; httpUrl: string }> {
  const dns = await startDns({
    listen: [{ host: '127.0.0.1', port: 0 }],
    http: { port: 0 },
    ...options,
  });
  onTestFinished(() => dns.stop());
  const port = dns.addresses[0]?.port ?? 0;
  return { at: { host: '127.0.0.1', port }, httpUrl: dns.httpUrl ?? '' };
}

const create = {
  service: (client: Client, service: Service) =>
    client.services(service.metadata.namespace ?? 'default').create(service),
  slice: (client: Client, slice: EndpointSlice) =>
    client.endpointSlices(slice.metadata.namespace ?? 'default').create(slice),
};

describe('startDns', () => {
  it('serves the cluster over UDP and TCP, follows changes, and forwards the rest through its cache', async () => {
    const client = await apiClient();
    const web = await create.service(
      client,
      makeService().name('web').namespace('default').port(80, { name: 'http' }).obj(),
    );
    const webIP = web.spec.clusterIP ?? '';
    expect(webIP).toMatch(/^10\./);
    await create.service(
      client,
      makeService().name('db').namespace('default').clusterIP('None').obj(),
    );
    await create.slice(
      client,
      makeEndpointSlice()
        .name('db-abcde')
        .namespace('default')
        .service('db')
        .port(5432, { name: 'pg' })
        .endpoint('10.244.1.5', {}, { hostname: 'db-0' })
        .endpoint('10.244.1.6', { ready: false })
        .obj(),
    );
    const upstream = await startStaticDnsServer({ records: { 'example.test': ['192.0.2.7'] } });
    onTestFinished(() => upstream.close());
    const { at, httpUrl } = await serve({ client, upstreams: [upstream] });

    for (const transport of ['udp', 'tcp'] as const) {
      const a = await ask(at, 'web.default.svc.cluster.local', 'A', transport);
      expect(a).toMatchObject({ rcode: 'NOERROR', authoritative: true, answers: [`A ${webIP}`] });
    }
    expect((await ask(at, '_http._tcp.web.default.svc.cluster.local', 'SRV')).answers).toEqual([
      'SRV 0 100 80 web.default.svc.cluster.local',
    ]);
    expect((await ask(at, 'db.default.svc.cluster.local', 'A')).answers).toEqual(['A 10.244.1.5']);
    expect((await ask(at, 'db-0.db.default.svc.cluster.local', 'A')).answers).toEqual([
      'A 10.244.1.5',
    ]);
    const reverse = `${webIP.split('.').reverse().join('.')}.in-addr.arpa`;
    expect((await ask(at, reverse, 'PTR')).answers).toEqual(['PTR web.default.svc.cluster.local']);
    expect(await ask(at, 'nope.default.svc.cluster.local', 'A')).toMatchObject({
      rcode: 'NXDOMAIN',
      authority: ['SOA cluster.local'],
    });
    expect(await ask(at, 'web.default.svc.cluster.local', 'AAAA')).toMatchObject({
      rcode: 'NOERROR',
      answers: [],
      authority: ['SOA cluster.local'],
    });

    // Outside the cluster: asked upstream once, then answered from the cache.
    for (let i = 0; i < 3; i++) {
      expect(await ask(at, 'example.test', 'A')).toMatchObject({
        rcode: 'NOERROR',
        authoritative: false,
        answers: ['A 192.0.2.7'],
      });
    }
    expect(await ask(at, 'missing.test', 'A')).toMatchObject({ rcode: 'NXDOMAIN' });
    expect(upstream.queries).toEqual(['A example.test', 'A missing.test']);

    // An ExternalName: the CNAME and what the upstream says of its target.
    await create.service(
      client,
      makeService()
        .name('ext')
        .namespace('default')
        .type('ExternalName')
        .withoutPorts()
        .spec({ externalName: 'example.test' })
        .obj(),
    );
    await eventually('the ExternalName service to resolve', async () => {
      const got = await ask(at, 'ext.default.svc.cluster.local', 'A');
      return got.answers.length > 0 && got;
    }).then((got) => expect(got.answers).toEqual(['CNAME example.test', 'A 192.0.2.7']));

    // Changes arrive through the informers.
    await create.service(client, makeService().name('late').namespace('kube-system').obj());
    await eventually(
      'a new service to resolve',
      async () => (await ask(at, 'late.kube-system.svc.cluster.local', 'A')).rcode === 'NOERROR',
    );
    await client.services('kube-system').delete('late');
    await eventually(
      'a deleted service to be NXDOMAIN',
      async () => (await ask(at, 'late.kube-system.svc.cluster.local', 'A')).rcode === 'NXDOMAIN',
    );

    const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/coredns_dns_requests_total\{[^}]*proto="tcp"[^}]*type="A"\} 1/);
    expect(metrics).toMatch(
      /coredns_dns_responses_total\{[^}]*rcode="NXDOMAIN",plugin="kubernetes"\} \d/,
    );
    expect(metrics).toMatch(/coredns_cache_hits_total\{[^}]*type="success"\} [2-9]/);
    expect(metrics).toMatch(/coredns_dns_request_duration_seconds_count\{[^}]*type="SRV"\} 1/);
    expect((await fetch(`${httpUrl}/readyz`)).status).toBe(200);
  });

  it('answers SERVFAIL when the upstream refuses or stays silent, and keeps serving the cluster', async () => {
    const client = await apiClient();
    await create.service(client, makeService().name('web').namespace('default').obj());
    const silent = await startStaticDnsServer({ records: {}, silent: true });
    onTestFinished(() => silent.close());
    const refusing = await serve({
      client,
      upstreams: [{ host: '127.0.0.1', port: await closedUdpPort() }],
    });
    const timingOut = await serve({ client, upstreams: [silent], upstreamTimeoutMs: 300 });
    for (const { at } of [refusing, timingOut]) {
      expect(await ask(at, 'example.test', 'A')).toMatchObject({ rcode: 'SERVFAIL', answers: [] });
      expect((await ask(at, 'web.default.svc.cluster.local', 'A')).rcode).toBe('NOERROR');
    }
    expect(silent.queries).toEqual(['A example.test']);
  });

  it("finds where to listen: kube-system/kube-dns's ClusterIP, port 53", async () => {
    const client = await apiClient();
    expect(await kubeDnsAddresses(client)).toEqual([]);
    const kubeDns = await create.service(
      client,
      makeService()
        .name('kube-dns')
        .namespace('kube-system')
        .clusterIP('10.96.0.10')
        .port(53, { name: 'dns', protocol: 'UDP' })
        .obj(),
    );
    expect(await kubeDnsAddresses(client)).toEqual([{ host: kubeDns.spec.clusterIP, port: 53 }]);
  });

  it('refuses an upstream that is its own listen address', async () => {
    const client = await apiClient();
    await expect(
      startDns({
        client,
        listen: [{ host: '0.0.0.0', port: 5353 }],
        upstreams: [{ host: '127.0.0.1', port: 5353 }],
      }),
    ).rejects.toThrow('upstream 127.0.0.1:5353 is where this server listens');
  });

  it('asks again over TCP when the upstream truncates over UDP', async () => {
    const client = await apiClient();
    const upstream = await startStaticDnsServer({
      records: { 'big.test': ['192.0.2.9'] },
      truncateUdp: true,
    });
    onTestFinished(() => upstream.close());
    const { at } = await serve({ client, upstreams: [upstream] });
    expect((await ask(at, 'big.test', 'A')).answers).toEqual(['A 192.0.2.9']);
    expect(upstream.queries).toEqual(['A big.test', 'A big.test']);
  });
});
