// metrics.k8s.io/v1beta1 on a real apiserver whose Node points at a kubelet endpoint answering
// the Summary API with recorded figures.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVersionedKubectl } from '../protobuf/testing/versioned-kubectl.js';
import { startTestApiServer, type TestApiServer } from '../server/testing/test-api-server.js';

let api: TestApiServer;
let kubelet: Server;
let podUid = '';

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  api = await startTestApiServer();
  const pod = await call('POST', '/api/v1/namespaces/default/pods', {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'nginx', image: 'nginx' }] },
  });
  podUid = (pod.body.metadata as { uid: string }).uid;
  kubelet = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        node: { cpu: { usageNanoCores: 1_500_000 }, memory: { workingSetBytes: 2048 } },
        pods: [
          {
            podRef: { name: 'web', namespace: 'default', uid: podUid },
            containers: [
              { name: 'nginx', cpu: { usageNanoCores: 250 }, memory: { workingSetBytes: 1024 } },
            ],
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => kubelet.listen(0, '127.0.0.1', resolve));
  const node = await call('POST', '/api/v1/nodes', {
    metadata: { name: 'node-a', labels: { zone: 'a' } },
  });
  const status = await call('PUT', '/api/v1/nodes/node-a/status', {
    ...node.body,
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: (kubelet.address() as AddressInfo).port } },
    },
  });
  expect(status.status).toBe(200);
});

afterAll(async () => {
  kubelet.closeAllConnections();
  await new Promise((resolve) => kubelet.close(resolve));
  await api.close();
});

describe('metrics.k8s.io', () => {
  it("lists each node's usage from its kubelet, with the node's labels", async () => {
    const { status, body } = await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'NodeMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      items: [
        {
          kind: 'NodeMetrics',
          metadata: { name: 'node-a', labels: { zone: 'a' } },
          usage: { cpu: '1500000n', memory: '2048' },
        },
      ],
    });
  });

  it("gets a pod's containers' usage, and filters pods by label", async () => {
    const { body } = await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web');
    expect(body).toMatchObject({
      kind: 'PodMetrics',
      metadata: { name: 'web', namespace: 'default' },
      containers: [{ name: 'nginx', usage: { cpu: '250n', memory: '1024' } }],
    });
    const none = await call('GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Ddb');
    expect(none.body.items).toEqual([]);
  });

  it('answers NotFound for a pod without figures and MethodNotAllowed for writes', async () => {
    const missing = await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const write = await call('POST', '/apis/metrics.k8s.io/v1beta1/nodes', {});
    expect(write.status).toBe(405);
  });

  it('is in discovery, read-only', async () => {
    const { body } = await call('GET', '/apis/metrics.k8s.io/v1beta1');
    expect(body.resources).toEqual([
      expect.objectContaining({ name: 'nodes', kind: 'NodeMetrics', verbs: ['get', 'list'] }),
      expect.objectContaining({ name: 'pods', kind: 'PodMetrics', verbs: ['get', 'list'] }),
    ]);
  });
});

const kubectl = findVersionedKubectl('1.33');

describe.skipIf(kubectl === undefined)('metrics.k8s.io for kubectl 1.33', () => {
  it('explains NodeMetrics from the OpenAPI v3 document', async () => {
    const kubeconfig = `${api.dir}/metrics-kubeconfig`;
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "${api.url}"}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\nusers: [{name: t, user: {}}]\ncurrent-context: t\n`,
    );
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        kubectl ?? 'kubectl',
        [
          '--kubeconfig',
          kubeconfig,
          'explain',
          'nodes.usage',
          '--api-version=metrics.k8s.io/v1beta1',
        ],
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    expect(out).toContain('KIND:       NodeMetrics');
    expect(out).toContain('FIELD: usage <map[string]Quantity>');
  });
});
