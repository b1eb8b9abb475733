// Real kubectl 1.27 (which reads /openapi/v2 as gnostic protobuf for apply), 1.31 and 1.33
// against the apiserver: explain (embedded store), and on the embedded store and etcd apply,
// patch (strategic, merge, JSON), create of a List, server-side strict field validation and
// replace --save-config of an existing pod.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVersionedKubectl } from '../protobuf/testing/versioned-kubectl.js';
import { apiServerBackends, onCleanup, startApi } from '../server/testing/api-fixture.js';
import { kubectlAt, type Kubectl } from '../testing/kubectl.js';
import { kubernetesDescriptions } from './kubernetes-descriptions.js';

const backends = apiServerBackends();
const versions = ['1.27', '1.31', '1.33'].map((minor) => ({
  minor,
  binary: findVersionedKubectl(minor),
}));
const onEveryBackend = backends.flatMap((b) => versions.map((v) => ({ ...v, backend: b.name })));

const deployment = (image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        livenessProbe: {httpGet: {path: /, port: 80}}
`;

const list = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {mode: demo}
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports: [{port: 80}]
`;

const podWithTypo = `
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
  - name: c
    image: nginx
    imagePolicy: Always
`;

const pod = `
apiVersion: v1
kind: Pod
metadata: {name: p1}
spec:
  containers:
  - name: c
    image: nginx
`;

async function setUp(
  binary: string,
  backendName = 'embedded',
): Promise<{ k: Kubectl; file: (text: string) => Promise<string> }> {
  const backend = backends.find((b) => b.name === backendName);
  if (!backend) throw new Error(`no ${backendName} backend`);
  const { url } = await startApi(backend);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-openapi-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    k: kubectlAt(binary, { server: url }, dir),
    file: async (text) => {
      const path = join(dir, `manifest-${n++}.yaml`);
      await writeFile(path, text);
      return path;
    },
  };
}

describe.each(versions)('kubectl $minor and OpenAPI', ({ binary }) => {
  it.skipIf(binary === undefined)(
    'explains fields from the served schemas, as on Kubernetes',
    async () => {
      const { k } = await setUp(binary ?? '');
      const probe = await k('explain', 'pod.spec.containers.livenessProbe');
      expect(probe).toMatch(/KIND:\s+Pod/);
      expect(probe).toMatch(/FIELD:\s+livenessProbe <Probe>/);
      expect(probe).toMatch(/httpGet\s+<HTTPGetAction>/);
      expect(probe).toMatch(/initialDelaySeconds\s+<integer>/);
      expect(probe).toContain('Checks that the container is alive');
      const strategy = await k('explain', 'deployment.spec.strategy');
      expect(strategy).toMatch(/GROUP:\s+apps/);
      expect(strategy).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
      expect(strategy).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
      expect(strategy).toMatch(/type\s+<string>/);
      const surge = await k('explain', 'deployment.spec.strategy.rollingUpdate');
      expect(surge).toMatch(/maxSurge\s+<IntOrString>/);
      const limits = await k('explain', 'pod.spec.containers.resources');
      expect(limits).toMatch(/limits\s+<map\[string\]Quantity>/);
      // Where skiff has no words of its own, Kubernetes' (from @kubernetes/client-node).
      const workingDir = kubernetesDescriptions('io.k8s.api.core.v1.Container').fields.get(
        'workingDir',
      );
      expect(workingDir).toBeDefined();
      const firstWords = (workingDir ?? '').split(' ').slice(0, 4).join(' ');
      expect(await k('explain', 'pod.spec.containers.workingDir')).toContain(firstWords);
    },
    60_000,
  );
});

describe.each(onEveryBackend)('kubectl $minor on $backend', ({ minor, binary, backend }) => {
  it.skipIf(binary === undefined)(
    `applies, patches, creates a List, refuses unknown fields with --validate=strict and replaces with --save-config (${minor})`,
    async () => {
      const { k, file } = await setUp(binary ?? '', backend);
      expect(await k('apply', '-f', await file(deployment('nginx:1.27')))).toContain(
        'deployment.apps/web created',
      );
      expect(await k('apply', '-f', await file(deployment('nginx:1.28')))).toContain(
        'deployment.apps/web configured',
      );
      expect(
        await k(
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ),
      ).toBe('nginx:1.28');

      // The three patch types kubectl sends (strategic merge is its default for built-in kinds).
      expect(await k('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":2}}')).toContain(
        'deployment.apps/web patched',
      );
      await k(
        'patch',
        'deployment',
        'web',
        '--type=merge',
        '-p',
        '{"metadata":{"labels":{"a":"b"}}}',
      );
      await k(
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.29"}]',
      );
      expect(
        await k(
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.spec.replicas} {.metadata.labels.a} {.spec.template.spec.containers[0].image}',
        ),
      ).toBe('2 b nginx:1.29');

      const created = await k('create', '-f', await file(list));
      expect(created).toContain('configmap/settings created');
      expect(created).toContain('service/web created');

      const typo = await file(podWithTypo);
      await expect(k('create', '--validate=strict', '-f', typo)).rejects.toThrow(
        /strict decoding error: unknown field "spec\.containers\[0\]\.imagePolicy"/,
      );

      const p1 = await file(pod);
      expect(await k('create', '-f', p1)).toContain('pod/p1 created');
      expect(await k('replace', '--save-config', '-f', p1)).toContain('pod/p1 replaced');
    },
    90_000,
  );
});
