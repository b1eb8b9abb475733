// kube-dns as `skiff up` keeps it, against a real apiserver: the ClusterIP kubeadm would choose,
// a Service that survives restarts, and the EndpointSlice that sends it to skiff's DNS.
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  clusterDnsIP,
  dnsListenAddress,
  ensureKubeDnsService,
  publishKubeDnsEndpoint,
} from './kube-dns.js';

async function apiClient(): Promise<Client> {
  const api = await startTestApiServer({ prefix: 'skiff-up-kube-dns-' });
  const client = createClient({ server: api.url, qps: Infinity });
  onTestFinished(async () => {
    client.close();
    await api.close();
  });
  return client;
}

describe('clusterDnsIP', () => {
  it.each([
    ['10.96.0.0/12', '10.96.0.10'],
    ['10.100.0.0/16', '10.100.0.10'],
    ['192.168.7.77/24', '192.168.7.10'],
  ])('is the 10th address of %s', (cidr, ip) => {
    expect(clusterDnsIP(cidr)).toBe(ip);
  });

  it('refuses a range too small for it', () => {
    expect(() => clusterDnsIP('10.0.0.0/29')).toThrow('no room for kube-dns');
  });
});

describe('kube-dns in the API', () => {
  it('creates the Service on the given ClusterIP and keeps the one that exists', async () => {
    const client = await apiClient();
    expect(await ensureKubeDnsService(client, '10.96.0.10')).toBe('10.96.0.10');
    // A resumed cluster (or one made by hand first) keeps its address: kubelets must use it.
    expect(await ensureKubeDnsService(client, '10.96.0.99')).toBe('10.96.0.10');
    const service = await client.services('kube-system').get('kube-dns');
    expect(service.spec.selector).toBeUndefined();
    expect(service.spec.ports?.map((p) => `${p.name}/${p.protocol}/${p.port}`)).toEqual([
      'dns/UDP/53',
      'dns-tcp/TCP/53',
    ]);
  });

  it('writes one ready endpoint and moves it when the address changes', async () => {
    const client = await apiClient();
    await ensureKubeDnsService(client, '10.96.0.10');
    await publishKubeDnsEndpoint(client, { nodeName: 'n1', address: '10.88.0.1' });
    await publishKubeDnsEndpoint(client, { nodeName: 'n1', address: '10.89.0.1' });
    const slices = await client
      .endpointSlices('kube-system')
      .list({ labelSelector: 'kubernetes.io/service-name=kube-dns' });
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0]?.endpoints).toEqual([
      {
        addresses: ['10.89.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'n1',
      },
    ]);
  });

  it('listens on the gateway of the node pod CIDR, or on its InternalIP without a bridge', async () => {
    const client = await apiClient();
    await client.nodes().create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      spec: { podCIDR: '10.244.3.0/24' },
    });
    await client.nodes().updateStatus({
      ...(await client.nodes().get('n1')),
      status: { addresses: [{ type: 'InternalIP', address: '192.0.2.7' }] },
    });
    expect(await dnsListenAddress(client, 'n1', '10.88.0.0/16')).toBe('10.244.3.1');
    expect(await dnsListenAddress(client, 'n1', undefined)).toBe('192.0.2.7');
  });
});
