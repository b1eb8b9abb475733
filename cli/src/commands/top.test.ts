// `skiff top` and real kubectl top against a real apiserver whose metrics.k8s.io reads the
// kubelets' Summary API, here kubelet endpoints answering with recorded figures (the kubelet's
// own /stats/summary is tested in kubelet/src/server/stats-summary.test.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  kubectlBinary,
  startVerbCluster,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';

let cluster: VerbCluster;
let kubelet: Server;
const Mi = 2 ** 20;

const container = (name: string, milli: number, mebi: number) => ({
  name,
  cpu: { usageNanoCores: milli * 1e6 },
  memory: { workingSetBytes: mebi * Mi },
});

const post = (path: string, body: unknown) => apiRequest(cluster, 'POST', path, body);

const putStatus = (path: string, object: Record<string, unknown>, status: object) =>
  apiRequest(cluster, 'PUT', `${path}/status`, { ...object, status });

beforeAll(async () => {
  cluster = await startVerbCluster();
  await post('/api/v1/namespaces', { metadata: { name: 'other' } });
  const pods: { ns: string; name: string; uid: string }[] = [];
  for (const [ns, name, labels] of [
    ['default', 'web-1', { app: 'web' }],
    ['default', 'web-2', { app: 'web' }],
    ['default', 'db', { app: 'db' }],
    ['other', 'job', {}],
  ] as const) {
    const pod = await post(`/api/v1/namespaces/${ns}/pods`, {
      metadata: { name, labels },
      spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox' }] },
    });
    pods.push({ ns, name, uid: (pod.metadata as { uid: string }).uid });
  }
  const usage: Record<string, ReturnType<typeof container>[]> = {
    'web-1': [container('nginx', 250, 64), container('sidecar', 5, 8)],
    'web-2': [container('nginx', 120, 70)],
    db: [container('postgres', 900, 512)],
    job: [container('main', 1, 3)],
  };
  kubelet = createServer((req, res) => {
    if (req.url !== '/stats/summary') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        node: {
          nodeName: 'node-a',
          cpu: { usageNanoCores: 1_234_000_000 },
          memory: { workingSetBytes: 3072 * Mi },
        },
        pods: pods.map((p) => ({
          podRef: { name: p.name, namespace: p.ns, uid: p.uid },
          containers: usage[p.name],
        })),
      }),
    );
  });
  await new Promise<void>((resolve) => kubelet.listen(0, '127.0.0.1', resolve));
  const port = (kubelet.address() as AddressInfo).port;
  for (const [name, address] of [
    ['node-a', '127.0.0.1'],
    ['node-b', '192.0.2.1'],
  ] as const) {
    const node = await post('/api/v1/nodes', { metadata: { name } });
    await putStatus(`/api/v1/nodes/${name}`, node, {
      addresses: [{ type: 'InternalIP', address }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
      capacity: { cpu: '4', memory: '8Gi' },
      allocatable: { cpu: '3800m', memory: '6Gi' },
    });
  }
});

afterAll(async () => {
  kubelet.closeAllConnections();
  await new Promise((resolve) => kubelet.close(resolve));
  await cluster.close();
});

describe('skiff top', () => {
  it("shows each node's usage and share of its allocatable, <unknown> where no kubelet answers", async () => {
    const ran = await cluster.skiff('top', 'node');
    expect(ran.err).toBe('');
    expect(ran.out).toBe(
      [
        'NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   ',
        'node-a   1234m        32%         3072Mi          50%         ',
        'node-b   <unknown>    <unknown>   <unknown>       <unknown>   ',
        '',
      ].join('\n'),
    );
  }, 30_000);

  it('shows shares of capacity with --show-capacity', async () => {
    const ran = await cluster.skiff('top', 'node', 'node-a', '--show-capacity', '--no-headers');
    expect(ran.out).toBe('node-a   1234m   30%   3072Mi   37%   \n');
  });

  it("sums a pod's containers and sorts by name, or by usage when asked", async () => {
    expect((await cluster.skiff('top', 'pod')).out).toBe(
      [
        'NAME    CPU(cores)   MEMORY(bytes)   ',
        'db      900m         512Mi           ',
        'web-1   255m         72Mi            ',
        'web-2   120m         70Mi            ',
        '',
      ].join('\n'),
    );
    expect(
      (await cluster.skiff('top', 'pod', '--sort-by=memory', '-l', 'app=web', '--no-headers')).out,
    ).toBe('web-1   255m   72Mi   \nweb-2   120m   70Mi   \n');
  });

  it('shows a row per container, namespaces with -A, and a total with --sum', async () => {
    expect((await cluster.skiff('top', 'pod', 'web-1', '--containers')).out).toBe(
      [
        'POD     NAME      CPU(cores)   MEMORY(bytes)   ',
        'web-1   nginx     250m         64Mi            ',
        'web-1   sidecar   5m           8Mi             ',
        '',
      ].join('\n'),
    );
    expect((await cluster.skiff('top', 'pod', '-A', '--sum')).out).toBe(
      [
        'NAMESPACE   NAME    CPU(cores)   MEMORY(bytes)   ',
        'default     db      900m         512Mi           ',
        'default     web-1   255m         72Mi            ',
        'default     web-2   120m         70Mi            ',
        'other       job     1m           3Mi             ',
        '                    ________     ________        ',
        '                    1276m        657Mi           ',
        '',
      ].join('\n'),
    );
  });

  it('says what kubectl says for a bad --sort-by and an empty namespace', async () => {
    expect(await cluster.skiff('top', 'pod', '--sort-by=name')).toEqual({
      code: 1,
      out: '',
      err: 'error: --sort-by accepts only cpu or memory\n',
    });
    await post('/api/v1/namespaces', { metadata: { name: 'empty' } });
    expect(await cluster.skiff('top', 'pod', '-n', 'empty')).toEqual({
      code: 0,
      out: '',
      err: 'No resources found in empty namespace.\n',
    });
  });
});

const versions = ['1.27', '1.33'].filter((v) => kubectlBinary(v) !== undefined);

describe.skipIf(versions.length === 0).each(versions)(
  'skiff top prints what kubectl %s top prints',
  (minor) => {
    // kubectl 1.27 titles the node percentages CPU% and MEMORY%; skiff prints 1.33's CPU(%).
    const nodeHeaders =
      minor === '1.27'
        ? []
        : [
            ['top', 'node'],
            ['top', 'node', 'node-a', '--show-capacity'],
          ];
    it.each(
      [
        ...nodeHeaders,
        ['top', 'node', '--sort-by=memory', '--no-headers'],
        ['top', 'pod'],
        ['top', 'pod', '-A', '--sum'],
        ['top', 'pod', '--containers', '-l', 'app=web'],
        ['top', 'pod', 'web-1', '--sort-by=cpu'],
        ['top', 'pod', '-n', 'empty'],
        ['top', 'pod', 'nope'],
        ['top', 'node', 'nope'],
        ['top', 'pod', '-n', 'kube-system', '--sum'],
      ].map((args) => [args.join(' '), args]),
    )(
      '%s',
      async (_, args) => {
        const [skiff, kubectl] = await Promise.all([
          cluster.skiff(...args),
          cluster.kubectl(minor, ...args),
        ]);
        expect(skiff.out).toBe(kubectl.out);
        expect(skiff.err).toBe(kubectl.err);
        expect(skiff.code).toBe(kubectl.code);
      },
      60_000,
    );
  },
);
