// The official JavaScript client (@kubernetes/client-node) against the apiserver on the embedded
// store: typed creates, reads, lists, a strategic merge patch, a watch and Kubernetes' error
// bodies, as its users would call them. It is a compatibility test: the client is not ours.
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from './testing/api-fixture.js';

const embedded = apiServerBackends().filter((b) => b.name === 'embedded');

function configFor(server: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'skiff', server, skipTLSVerify: true }],
    users: [{ name: 'tester' }],
    contexts: [{ name: 'skiff', cluster: 'skiff', user: 'tester' }],
    currentContext: 'skiff',
  });
  return kc;
}

describe.each(embedded)('@kubernetes/client-node on $name storage', (backend) => {
  it('creates, reads, lists, patches and deletes with the typed APIs', async () => {
    const { url } = await startApi(backend);
    const kc = configFor(url);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);

    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'settings' }, data: { mode: 'demo' } },
    });
    const created = await apps.createNamespacedDeployment({
      namespace: 'shop',
      body: {
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    // The client turns the JSON into its model classes: dates become Dates.
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const cm = await core.readNamespacedConfigMap({ namespace: 'shop', name: 'settings' });
    expect(cm.data).toEqual({ mode: 'demo' });
    const list = await apps.listNamespacedDeployment({ namespace: 'shop' });
    expect(list.items.map((d) => d.metadata?.name)).toEqual(['web']);

    const patched = await apps.patchNamespacedDeployment(
      { namespace: 'shop', name: 'web', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.replicas).toBe(3);

    await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'settings' });
    const error = await core
      .readNamespacedConfigMap({ namespace: 'shop', name: 'settings' })
      .then(() => undefined)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(k8s.ApiException);
    const apiError = error as k8s.ApiException<string>;
    expect(apiError.code).toBe(404);
    expect(JSON.parse(apiError.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      details: { name: 'settings', kind: 'configmaps' },
    });
  });

  it('watches with the client Watch', async () => {
    const { url } = await startApi(backend);
    const kc = configFor(url);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const events: { type: string; name: string }[] = [];
    let deleted: () => void = () => undefined;
    const seenDelete = new Promise<void>((resolve) => (deleted = resolve));
    // The watch resolves once the server has answered with the stream's headers, so what is
    // written after it is seen.
    const controller = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type: string, obj: { metadata?: { name?: string } }) => {
        events.push({ type, name: obj.metadata?.name ?? '' });
        if (type === 'DELETED') deleted();
      },
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'watched' }, data: { a: '1' } },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' });
    await seenDelete;
    controller.abort();
    expect(events).toEqual([
      { type: 'ADDED', name: 'watched' },
      { type: 'DELETED', name: 'watched' },
    ]);
  });
});
