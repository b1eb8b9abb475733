// The dynamic client on a custom resource the apiserver serves from a CRD: what a course
// student's controller does with its own kind, end to end against a real apiserver.
import type { CustomResourceDefinition, ObjectMeta } from '@skiff/api';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient, type Client } from './client.js';
import { ApiError, isInvalid, isNotFound } from '@skiff/api';
import { startApiServer } from './testing/api-server.js';
import type { WatchEvent } from './watch.js';

interface Website {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { domain: string; replicas?: number };
  status?: { ready?: boolean };
}

const websites = { group: 'example.com', version: 'v1', resource: 'websites' };

const websiteCrd: CustomResourceDefinition = {
  metadata: { name: 'websites.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'websites', singular: 'website', kind: 'Website' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['domain'],
                properties: {
                  domain: { type: 'string' },
                  replicas: { type: 'integer', minimum: 0, default: 1 },
                },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

const makeWebsite = (name: string, domain: string, labels?: Record<string, string>): Website => ({
  apiVersion: 'example.com/v1',
  kind: 'Website',
  metadata: { name, ...(labels && { labels }) },
  spec: { domain },
});

async function withWebsites(): Promise<Client> {
  const { url } = await startApiServer();
  const client = createClient({ server: url, qps: 100, burst: 100 });
  onTestFinished(() => client.close());
  await client.customResourceDefinitions().create(websiteCrd);
  // A new CRD is served once the apiserver has established it (within a second).
  await expect
    .poll(() =>
      client
        .resource(websites, 'default')
        .list()
        .then(() => 'served', String),
    )
    .toBe('served');
  return client;
}

describe('dynamic client on a custom resource', () => {
  it('creates, reads, lists, patches, updates status and deletes', async () => {
    const client = await withWebsites();
    const sites = client.resource<Website>(websites, 'default');

    const created = await sites.create(makeWebsite('blog', 'blog.example.com', { team: 'a' }));
    expect(created).toMatchObject({
      kind: 'Website',
      metadata: { name: 'blog', namespace: 'default' },
      // Defaulted from the CRD's schema.
      spec: { domain: 'blog.example.com', replicas: 1 },
    });
    await sites.create(makeWebsite('shop', 'shop.example.com', { team: 'b' }));

    const teamA = await sites.list({ labelSelector: { team: 'a' } });
    expect(teamA.kind).toBe('WebsiteList');
    expect(teamA.items.map((w) => w.metadata.name)).toEqual(['blog']);
    expect((await sites.listAll({ limit: 1 })).items.map((w) => w.metadata.name)).toEqual([
      'blog',
      'shop',
    ]);

    const merged = await sites.patch('blog', { spec: { replicas: 3 } }, { type: 'merge' });
    expect(merged.spec.replicas).toBe(3);
    const replaced = await sites.patch(
      'blog',
      [{ op: 'replace', path: '/spec/domain', value: 'www.example.com' }],
      { type: 'json' },
    );
    expect(replaced.spec.domain).toBe('www.example.com');
    // Custom resources have no patch strategy metadata, so Kubernetes refuses strategic merge.
    const strategic = await sites
      .patch('blog', { spec: { replicas: 4 } }, { type: 'strategic' })
      .catch((e: unknown) => e);
    expect((strategic as ApiError).code).toBe(415);

    const withStatus = await sites.updateStatus({ ...replaced, status: { ready: true } });
    expect(withStatus.status).toEqual({ ready: true });
    expect(withStatus.spec.replicas).toBe(3);

    await sites.delete('blog');
    await expect(sites.get('blog')).rejects.toSatisfy(isNotFound);
  });

  it('rejects an object its schema does not allow', async () => {
    const client = await withWebsites();
    const bad = { ...makeWebsite('bad', 'x'), spec: { domain: 'x', replicas: -1 } };
    await expect(client.resource<Website>(websites, 'default').create(bad)).rejects.toSatisfy(
      isInvalid,
    );
  });

  it('watches a custom resource across all namespaces', async () => {
    const client = await withWebsites();
    const all = client.resource<Website>(websites);
    const listed = await all.list();
    const watch = await all.watch({ resourceVersion: listed.metadata.resourceVersion });
    const sites = client.resource<Website>(websites, 'default');
    const site = await sites.create(makeWebsite('docs', 'docs.example.com'));
    await sites.update({ ...site, spec: { ...site.spec, replicas: 2 } });
    await sites.delete('docs');
    const seen: WatchEvent<Website>[] = [];
    for await (const event of watch) {
      seen.push(event);
      if (seen.length === 3) break;
    }
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(seen.map((e) => (e.object as Website).metadata.name)).toEqual(['docs', 'docs', 'docs']);
  });
});
