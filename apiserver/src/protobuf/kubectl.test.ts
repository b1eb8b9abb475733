// Real kubectl 1.32 and 1.33, which send built-in objects as protobuf, against the apiserver on
// the embedded store: the everyday create verbs and apply, checked through kubectl's own reads.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { kubectlAt, type Kubectl } from '../testing/kubectl.js';
import { startProtobufTestServer, type ProtobufTestServer } from './testing/protobuf-server.js';
import { findVersionedKubectl } from './testing/versioned-kubectl.js';

const run = promisify(execFile);

const versions = ['1.32', '1.33'].map((minor) => ({ minor, binary: findVersionedKubectl(minor) }));

const manifest = (replicas: number, image: string): string => `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {mode: demo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: ${replicas}
  revisionHistoryLimit: 0
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [{name: cache, emptyDir: {}}]
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80, name: http}]
        securityContext: {runAsUser: 0, allowPrivilegeEscalation: false}
        readinessProbe: {httpGet: {path: /, port: http}}
        resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

let api: ProtobufTestServer | undefined;
let home: string | undefined;
afterEach(async () => {
  await api?.close();
  if (home) await rm(home, { recursive: true, force: true });
  api = undefined;
  home = undefined;
});

async function kubectlOn(binary: string): Promise<{ k: Kubectl; dir: string }> {
  api = await startProtobufTestServer();
  home = await mkdtemp(join(tmpdir(), 'skiff-kubectl-protobuf-'));
  return { k: kubectlAt(binary, { server: api.url }, home), dir: home };
}

const json = async (k: Kubectl, ...args: string[]): Promise<Record<string, unknown>> =>
  JSON.parse(await k(...args, '-o', 'json')) as Record<string, unknown>;

describe.each(versions)('kubectl $minor (protobuf bodies)', ({ binary }) => {
  it.skipIf(binary === undefined)(
    'creates a namespace, configmap, secret, deployment and service',
    async () => {
      const { k, dir } = await kubectlOn(binary ?? '');
      // It really speaks protobuf: -v=8 shows the request and the answer's media types.
      const verbose = await run(
        binary ?? '',
        ['--server', api?.url ?? '', '-v=8', 'create', 'namespace', 'shop'],
        { env: { ...process.env, HOME: dir, KUBECONFIG: join(dir, 'none') } },
      );
      expect(verbose.stdout).toBe('namespace/shop created\n');
      const sent = verbose.stderr.match(/Content-Type: application\/vnd\.kubernetes\.protobuf/g);
      expect(sent?.length).toBeGreaterThanOrEqual(2);

      expect(await k('-n', 'shop', 'create', 'configmap', 'cfg', '--from-literal=a=1')).toBe(
        'configmap/cfg created\n',
      );
      expect(
        await k('-n', 'shop', 'create', 'secret', 'generic', 'db', '--from-literal=password=s3'),
      ).toBe('secret/db created\n');
      expect(
        await k('-n', 'shop', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0'),
      ).toBe('deployment.apps/web created\n');
      expect(await k('-n', 'shop', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080')).toBe(
        'service/web created\n',
      );

      expect(await json(k, 'get', 'namespace', 'shop')).toMatchObject({
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
      expect(await json(k, '-n', 'shop', 'get', 'configmap', 'cfg')).toMatchObject({
        data: { a: '1' },
      });
      expect(await json(k, '-n', 'shop', 'get', 'secret', 'db')).toMatchObject({
        type: 'Opaque',
        data: { password: Buffer.from('s3').toString('base64') },
      });
      expect(await json(k, '-n', 'shop', 'get', 'deployment', 'web')).toMatchObject({
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
        },
      });
      expect(await json(k, '-n', 'shop', 'get', 'service', 'web')).toMatchObject({
        spec: {
          type: 'ClusterIP',
          ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
          clusterIP: expect.stringMatching(/^10\./) as unknown,
        },
      });
      await expect(k('create', 'namespace', 'shop')).rejects.toThrow(
        /namespaces "shop" already exists/,
      );
    },
  );

  it.skipIf(binary === undefined)('applies a manifest, then changes to it', async () => {
    const { k, dir } = await kubectlOn(binary ?? '');
    const file = join(dir, 'app.yaml');
    await writeFile(file, manifest(0, 'nginx:1.27'));
    expect(await k('apply', '-f', file)).toBe(
      'namespace/shop created\nconfigmap/settings created\ndeployment.apps/web created\nservice/web created\n',
    );
    const created = await json(k, '-n', 'shop', 'get', 'deployment', 'web');
    expect(created).toMatchObject({
      spec: {
        replicas: 0,
        revisionHistoryLimit: 0,
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          spec: {
            volumes: [{ name: 'cache', emptyDir: {} }],
            containers: [
              {
                securityContext: { runAsUser: 0, allowPrivilegeEscalation: false },
                readinessProbe: { httpGet: { path: '/', port: 'http' } },
                resources: { requests: { cpu: '100m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    });

    await writeFile(file, manifest(2, 'nginx:1.28'));
    expect(await k('apply', '-f', file)).toBe(
      'namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web configured\nservice/web unchanged\n',
    );
    expect(
      await k(
        '-n',
        'shop',
        'get',
        'deploy',
        'web',
        '-o',
        'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}',
      ),
    ).toBe('2 nginx:1.28');
    // No controller-manager runs here, so the namespace stays Terminating (as on Kubernetes
    // without its namespace controller): kubectl must not wait for it to go.
    expect(await k('delete', '-f', file, '--wait=false')).toMatch(/^namespace "shop" deleted\n/);
  });
});
