// The system resolver (glibc's, through `getent`) in a network namespace whose resolv.conf is
// the one the kubelet writes for a pod in `default`: search path, ndots:5, skiff dns as the
// nameserver. Short names resolve through the search path; names with dots below five are tried
// against every search domain first, each answered NXDOMAIN by skiff dns itself, and only the
// name as given reaches the upstream.
import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient } from '@skiff/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { startDns } from './dns.js';
import {
  createResolverNetns,
  resolverNetnsUnavailable,
  type ResolverNetns,
} from './testing/resolver-netns.js';
import { startStaticDnsServer, type StaticDnsServer } from './testing/static-dns-server.js';

const unavailable = resolverNetnsUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (unavailable && !ci) console.warn(`skipping the search-path test: ${unavailable}`);

describe.skipIf(unavailable !== undefined && !ci)(
  'search path with ndots:5, through the system resolver',
  () => {
    let netns: ResolverNetns;
    let upstream: StaticDnsServer;
    let webIP: string;

    beforeAll(async () => {
      if (unavailable) throw new Error(`${unavailable}; CI must provide it`);
      const api = await startTestApiServer({ prefix: 'skiff-dns-netns-' });
      const client = createClient({ server: api.url, qps: Infinity });
      const web = await client
        .services('default')
        .create(makeService().name('web').namespace('default').obj());
      webIP = web.spec.clusterIP ?? '';
      await client
        .services('default')
        .create(makeService().name('db').namespace('default').clusterIP('None').obj());
      await client
        .endpointSlices('default')
        .create(
          makeEndpointSlice()
            .name('db-x')
            .namespace('default')
            .service('db')
            .endpoint('10.244.3.4', {}, { hostname: 'db-0' })
            .obj(),
        );
      await client
        .services('kube-system')
        .create(makeService().name('metrics').namespace('kube-system').obj());
      upstream = await startStaticDnsServer({ records: { 'example.test': ['192.0.2.7'] } });
      netns = createResolverNetns();
      const dns = await startDns({
        client,
        listen: [{ host: netns.hostIP, port: 53 }],
        upstreams: [upstream],
      });
      netns.writeResolvConf(
        [
          'search default.svc.cluster.local svc.cluster.local cluster.local',
          `nameserver ${netns.hostIP}`,
          'options ndots:5',
          '',
        ].join('\n'),
      );
      return async () => {
        netns.destroy();
        await dns.stop();
        await upstream.close();
        client.close();
        await api.close();
      };
    });

    const hosts = async (name: string): Promise<string[]> => {
      const { status, stdout } = await netns.getent('hosts', name);
      return status === 0 ? stdout.trim().split(/\s+/) : [`exit ${status}`];
    };

    it('resolves a service in its own namespace by its short name', async () => {
      expect(await hosts('web')).toEqual([webIP, 'web.default.svc.cluster.local']);
    });

    it('resolves <svc>.<ns> and the fully qualified name', async () => {
      expect(await hosts('metrics.kube-system')).toEqual([
        expect.stringMatching(/^10\./),
        'metrics.kube-system.svc.cluster.local',
      ]);
      expect(await hosts('web.default.svc.cluster.local')).toEqual([
        webIP,
        'web.default.svc.cluster.local',
      ]);
    });

    it("resolves a headless service's pod by <hostname>.<subdomain>", async () => {
      expect(await hosts('db-0.db')).toEqual(['10.244.3.4', 'db-0.db.default.svc.cluster.local']);
    });

    it('resolves an outside name after the search domains, which never reach the upstream', async () => {
      // What the earlier lookups sent upstream: `getent hosts` asks AAAA first, an IPv4 service
      // has none (NODATA), so glibc walks the whole search list and then asks the bare name
      // (`AAAA web`) — upstream, as with CoreDNS. Never a name under cluster.local, though.
      expect(upstream.queries.filter((q) => q.endsWith('cluster.local'))).toEqual([]);
      upstream.queries.splice(0);
      expect(await hosts('example.test')).toEqual(['192.0.2.7', 'example.test']);
      expect(new Set(upstream.queries)).toEqual(new Set(['A example.test', 'AAAA example.test']));
    });

    it('answers a reverse lookup of a ClusterIP with the service name', async () => {
      expect(await hosts(webIP)).toEqual([webIP, 'web.default.svc.cluster.local']);
    });

    it('fails a name that exists nowhere (exit 2: not found)', async () => {
      expect(await hosts('nope')).toEqual(['exit 2']);
    });
  },
);
