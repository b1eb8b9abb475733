// `skiff dns` as a real process against a real apiserver: it answers a Service's name over UDP
// and TCP, forwards another name to its --upstream, serves its metrics, and stops on SIGTERM;
// without --listen and without kube-system/kube-dns it says what is missing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeService } from '@skiff/api/testing';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient } from '@skiff/client';
import { ask, startStaticDnsServer } from '@skiff/dns/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSkiff as skiff, tempDir } from '../testing/skiff-process.js';

async function cluster(): Promise<{ kubeconfig: string; url: string }> {
  const api = await startTestApiServer({ prefix: 'skiff-dns-cli-' });
  onTestFinished(() => api.close());
  const kubeconfig = join(await tempDir(), 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${api.url}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return { kubeconfig, url: api.url };
}

describe('skiff dns', () => {
  it('answers cluster names, forwards the rest, serves metrics, and stops on SIGTERM', async () => {
    const { kubeconfig, url } = await cluster();
    const client = createClient({ server: url, qps: Infinity });
    onTestFinished(() => client.close());
    const web = await client
      .services('default')
      .create(makeService().name('web').namespace('default').obj());
    const upstream = await startStaticDnsServer({ records: { 'example.test': ['192.0.2.7'] } });
    onTestFinished(() => upstream.close());

    const proc = skiff([
      'dns',
      '--kubeconfig',
      kubeconfig,
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      `${upstream.host}:${upstream.port}`,
      '--cluster-domain',
      'lab.example',
      '--health-port',
      '0',
      '--bind-address',
      '127.0.0.1',
    ]);
    await expect.poll(() => proc.output(), { timeout: 20_000 }).toContain('/healthz');
    const port = Number(/on 127\.0\.0\.1:(\d+) \(udp, tcp\)/.exec(proc.output())?.[1]);
    const metricsUrl = /serving (http:\/\/[\d.:]+)\/healthz/.exec(proc.output())?.[1] ?? '';
    const at = { host: '127.0.0.1', port };
    for (const transport of ['udp', 'tcp'] as const) {
      expect((await ask(at, 'web.default.svc.lab.example', 'A', transport)).answers).toEqual([
        `A ${web.spec.clusterIP ?? ''}`,
      ]);
    }
    expect((await ask(at, 'example.test', 'A')).answers).toEqual(['A 192.0.2.7']);
    const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/coredns_dns_requests_total\{[^}]*proto="udp"[^}]*type="A"\} 2/);
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('without --listen and without kube-system/kube-dns, says so and exits 1', async () => {
    const { kubeconfig } = await cluster();
    const proc = skiff([
      'dns',
      '--kubeconfig',
      kubeconfig,
      '--upstream',
      '127.0.0.1',
      '--health-port',
      '0',
    ]);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('kube-system/kube-dns has no ClusterIP');
  });

  it('refuses a listen address that is not one', async () => {
    const proc = skiff(['dns', '--listen', 'nowhere:53']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('"nowhere:53": want an IP address');
  });
});
