// Real kubectl against the apiserver: apply (create, then strategic-merge patch), get (tables),
// get -o yaml, scale and delete (which waits on a watch). kubectl is the compatibility test; a
// missing kubectl skips locally but fails under CI=true.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findKubectl, kubectlAt, type Kubectl } from '../testing/kubectl.js';
import type { ApiServerOptions } from './api-server.js';
import { apiServerBackends, onCleanup, startApi, type Backend } from './testing/api-fixture.js';

const backends = apiServerBackends();

const manifest = (replicas: number, image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: demo}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

const kubectl = findKubectl();

/** A fresh apiserver on `backend`, and kubectl aimed at it with a temp dir as its HOME. */
async function kubectlOn(
  backend: Backend,
  options: Omit<ApiServerOptions, 'storage'> = {},
): Promise<{ k: Kubectl; dir: string }> {
  const { url } = await startApi(backend, options);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return { k: kubectlAt(kubectl ?? 'kubectl', { server: url }, dir), dir };
}

describe.skipIf(kubectl === undefined).each(backends)(
  'real kubectl on $name storage',
  (backend) => {
    it('applies, gets, scales and deletes a deployment and a service', async () => {
      const { k, dir } = await kubectlOn(backend);
      const file = join(dir, 'app.yaml');

      await writeFile(file, manifest(2, 'nginx:1.27'));
      expect(await k('apply', '-f', file)).toBe(
        'deployment.apps/web created\nservice/web created\n',
      );

      const table = await k('get', 'deployments,services');
      expect(table).toMatch(/deployment\.apps\/web\s+0\/2\s+0\s+0\s+\d+s/);
      expect(table).toMatch(/service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
      expect(table).toMatch(/service\/web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/);

      // A second apply with changes sends a strategic merge patch computed by kubectl.
      await writeFile(file, manifest(3, 'nginx:1.28'));
      expect(await k('apply', '-f', file)).toBe(
        'deployment.apps/web configured\nservice/web unchanged\n',
      );
      const deployment = parse(await k('get', 'deployment', 'web', '-o', 'yaml')) as {
        metadata: { generation: number; annotations: Record<string, string> };
        spec: {
          replicas: number;
          template: { spec: { containers: { image: string; env: unknown[] }[] } };
        };
      };
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.metadata.generation).toBe(2);
      expect(deployment.spec.template.spec.containers[0]).toMatchObject({
        image: 'nginx:1.28',
        env: [{ name: 'MODE', value: 'demo' }],
      });
      expect(
        deployment.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
      ).toContain('nginx:1.28');

      expect(await k('scale', 'deployment/web', '--replicas=5')).toBe(
        'deployment.apps/web scaled\n',
      );
      expect(await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('5');

      expect(await k('delete', '-f', file)).toBe(
        'deployment.apps "web" deleted\nservice "web" deleted\n',
      );
      const after = await k('get', 'deployments,services', '-o', 'name');
      expect(after).toBe('service/kubernetes\n');
    });

    it('creates and deletes a namespace and a pod in it', async () => {
      const { k, dir } = await kubectlOn(backend);
      expect(await k('create', 'namespace', 'lab')).toBe('namespace/lab created\n');
      expect(await k('run', 'p', '--image=busybox', '-n', 'lab')).toBe('pod/p created\n');
      expect(await k('get', 'pods', '-n', 'lab', '--no-headers')).toMatch(
        /^p\s+0\/1\s+Pending\s+0\s+\d+s\n$/,
      );
      // No controller-manager here: the namespace stays Terminating until it is finalized, which
      // the test does the way users unstick a namespace, through kubectl's raw /finalize PUT.
      expect(await k('delete', 'namespace', 'lab', '--wait=false')).toBe(
        'namespace "lab" deleted\n',
      );
      expect(await k('get', 'namespace', 'lab', '-o', 'jsonpath={.status.phase}')).toBe(
        'Terminating',
      );
      const ns = JSON.parse(await k('get', 'namespace', 'lab', '-o', 'json')) as object;
      const file = join(dir, 'lab.json');
      await writeFile(file, JSON.stringify({ ...ns, spec: { finalizers: [] } }));
      await k('replace', '--raw', '/api/v1/namespaces/lab/finalize', '-f', file);
      await expect(k('get', 'namespace', 'lab')).rejects.toThrow(/namespaces "lab" not found/);
    });
  },
);
