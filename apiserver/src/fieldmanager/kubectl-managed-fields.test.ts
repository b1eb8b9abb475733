// Real kubectl 1.27, 1.31 and 1.33 and the managedFields they read back: client-side apply
// records `kubectl-client-side-apply` (kubectl sends that fieldManager itself), `kubectl scale`
// records the scale subresource, and `get --show-managed-fields` shows the FieldsV1 sets; then
// server-side apply (conflicts, --force-conflicts, removals, the client-side upgrade, a custom
// resource's list-map) with each version, on the embedded store and on etcd.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findVersionedKubectl } from '../protobuf/testing/versioned-kubectl.js';
import { apiServerBackends, onCleanup, startApi } from '../server/testing/api-fixture.js';
import { kubectlAt, type Kubectl } from '../testing/kubectl.js';

const backends = apiServerBackends();
const versions = ['1.27', '1.31', '1.33'].map((minor) => ({
  minor,
  binary: findVersionedKubectl(minor),
}));
type Version = (typeof versions)[number];
const onEmbedded = versions.map((v) => ({ ...v, backend: 'embedded' }));
const onEveryBackend = backends.flatMap((b) => versions.map((v) => ({ ...v, backend: b.name })));

const configMap = (mode: string): string => `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {app: web}}
data: {mode: ${mode}}
`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

async function kubectlOn(
  version: Version,
  backendName: string,
): Promise<{ k: Kubectl; dir: string }> {
  const backend = backends.find((b) => b.name === backendName);
  if (backend === undefined) throw new Error(`no ${backendName} backend`);
  const { url } = await startApi(backend);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-managed-fields-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return { k: kubectlAt(version.binary ?? 'kubectl', { server: url }, dir), dir };
}

async function managedFields(k: Kubectl, ...target: string[]): Promise<Entry[]> {
  const yaml = await k('get', ...target, '-o', 'yaml', '--show-managed-fields');
  return (parse(yaml) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? [];
}

describe.each(onEmbedded)('managedFields with real kubectl $minor', (version) => {
  const { binary } = version;
  const kubectl = () => kubectlOn(version, version.backend);
  it.skipIf(binary === undefined)(
    'records client-side apply as kubectl-client-side-apply and hides the entries by default',
    async () => {
      const { k, dir } = await kubectl();
      const file = join(dir, 'cm.yaml');
      await writeFile(file, configMap('demo'));
      expect(await k('apply', '-f', file)).toBe('configmap/settings created\n');

      const entries = await managedFields(k, 'configmap', 'settings');
      expect(entries).toEqual([
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:mode': {} },
            'f:metadata': {
              'f:annotations': {
                '.': {},
                'f:kubectl.kubernetes.io/last-applied-configuration': {},
              },
              'f:labels': { '.': {}, 'f:app': {} },
            },
          },
        },
      ]);
      // kubectl strips them client-side unless asked.
      expect(await k('get', 'configmap', 'settings', '-o', 'yaml')).not.toContain('managedFields');

      await writeFile(file, configMap('live'));
      expect(await k('apply', '-f', file)).toBe('configmap/settings configured\n');
      const after = await managedFields(k, 'configmap', 'settings');
      expect(after.map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
    },
  );

  it.skipIf(binary === undefined)(
    'records kubectl create, label and scale (by its User-Agent) under their own managers',
    async () => {
      const { k } = await kubectl();
      await k('create', 'deployment', 'web', '--image=nginx');
      await k('label', 'deployment', 'web', 'tier=front');
      await k('scale', 'deployment', 'web', '--replicas=3');
      const entries = await managedFields(k, 'deployment', 'web');
      const byManager = Object.fromEntries(entries.map((e) => [e.manager, e]));
      // scale sends no fieldManager: the User-Agent's first word is the binary's name.
      const userAgentManager = basename(binary ?? 'kubectl');
      expect(Object.keys(byManager).sort()).toEqual(
        ['kubectl-create', 'kubectl-label', userAgentManager].sort(),
      );
      expect(byManager['kubectl-label']?.fieldsV1).toEqual({
        'f:metadata': { 'f:labels': { 'f:tier': {} } },
      });
      expect(byManager[userAgentManager]).toMatchObject({
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      });
      expect(byManager['kubectl-create']?.fieldsV1).toHaveProperty([
        'f:spec',
        'f:template',
        'f:spec',
        'f:containers',
        'k:{"name":"nginx"}',
        '.',
      ]);
      expect(byManager['kubectl-create']?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    },
  );
});

const gatewayCrd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gateways, singular: gateway, kind: Gateway}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              hosts: {type: array, items: {type: string}}
              listeners:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port, protocol]
                items:
                  type: object
                  required: [port, protocol]
                  properties:
                    port: {type: integer}
                    protocol: {type: string}
`;

const gateway = (port: number, protocol: string, hosts?: string[]): string => `
apiVersion: example.com/v1
kind: Gateway
metadata: {name: edge}
spec:
  listeners: [{port: ${port}, protocol: ${protocol}}]
${hosts ? `  hosts: [${hosts.join(', ')}]\n` : ''}`;

const deployment = (replicas: number, image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

describe.each(onEveryBackend)(
  'server-side apply with real kubectl $minor on $backend',
  (version) => {
    const { binary } = version;
    const kubectl = () => kubectlOn(version, version.backend);
    it.skipIf(binary === undefined)(
      'creates, changes, conflicts with another manager and forces',
      async () => {
        const { k, dir } = await kubectl();
        const file = join(dir, 'web.yaml');
        await writeFile(file, deployment(1, 'nginx:1.27'));
        expect(await k('apply', '--server-side', '-f', file)).toBe(
          'deployment.apps/web serverside-applied\n',
        );
        const [applied] = await managedFields(k, 'deployment', 'web');
        expect(applied).toMatchObject({
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:replicas': {},
              'f:selector': {},
              'f:template': {
                'f:metadata': { 'f:labels': { 'f:app': {} } },
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} },
                  },
                },
              },
            },
          },
        });

        await writeFile(file, deployment(2, 'nginx:1.28'));
        expect(await k('apply', '--server-side', '-f', file)).toBe(
          'deployment.apps/web serverside-applied\n',
        );
        expect(
          await k(
            'get',
            'deploy',
            'web',
            '-o',
            'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}',
          ),
        ).toBe('2 nginx:1.28');

        await writeFile(file, deployment(5, 'nginx:1.28'));
        const conflict = k('apply', '--server-side', '--field-manager=other', '-f', file);
        await expect(conflict).rejects.toThrow(
          /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/,
        );

        expect(
          await k(
            'apply',
            '--server-side',
            '--field-manager=other',
            '--force-conflicts',
            '-f',
            file,
          ),
        ).toBe('deployment.apps/web serverside-applied\n');
        const entries = await managedFields(k, 'deployment', 'web');
        const byManager = Object.fromEntries(entries.map((e) => [e.manager, e]));
        expect(byManager.other?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
        expect(byManager.kubectl?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
        expect(await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('5');
      },
    );

    it.skipIf(binary === undefined)(
      'removes a field the applier stopped setting when no one else owns it',
      async () => {
        const { k, dir } = await kubectl();
        const file = join(dir, 'cm.yaml');
        await writeFile(
          file,
          configMap('demo').replace('data: {mode: demo}', 'data: {mode: demo, extra: x}'),
        );
        await k('apply', '--server-side', '-f', file);
        await writeFile(file, configMap('demo'));
        await k('apply', '--server-side', '-f', file);
        expect(await k('get', 'configmap', 'settings', '-o', 'jsonpath={.data}')).toBe(
          '{"mode":"demo"}',
        );
      },
    );

    it.skipIf(binary === undefined)(
      'takes over what client-side apply owned when the same file is applied server-side',
      async () => {
        const { k, dir } = await kubectl();
        const file = join(dir, 'web.yaml');
        await writeFile(file, deployment(1, 'nginx:1.27'));
        await k('apply', '-f', file);
        await writeFile(file, deployment(2, 'nginx:1.27'));
        expect(await k('apply', '--server-side', '-f', file)).toBe(
          'deployment.apps/web serverside-applied\n',
        );
        const entries = await managedFields(k, 'deployment', 'web');
        // kubectl then moves what client-side apply still held to its own managers: the annotation
        // to kubectl-last-applied, the rest to kubectl. (Entries sort by time, then by name: the
        // two writes may fall in different seconds.)
        expect(entries.map((e) => `${e.manager} ${e.operation}`).sort()).toEqual([
          'kubectl Apply',
          'kubectl-last-applied Apply',
        ]);
        const lastApplied = entries.find((e) => e.manager === 'kubectl-last-applied');
        expect(lastApplied?.fieldsV1).toEqual({
          'f:metadata': {
            'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
          },
        });
        const annotation = await k(
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
        );
        expect(JSON.parse(annotation)).toMatchObject({ spec: { replicas: 2 } });
        expect(await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
      },
    );

    it.skipIf(binary === undefined)(
      'does not give the applier status the server resets on the main resource',
      async () => {
        const { k, dir } = await kubectl();
        const file = join(dir, 'web.yaml');
        await writeFile(file, `${deployment(1, 'nginx:1.27')}status: {replicas: 9}\n`);
        await k('apply', '--server-side', '-f', file);
        const [applied] = await managedFields(k, 'deployment', 'web');
        expect(applied?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
        expect(applied?.fieldsV1).not.toHaveProperty(['f:status']);
      },
    );

    it.skipIf(binary === undefined)(
      "merges a custom resource's list-map by its CRD's keys: two appliers, one element each",
      async () => {
        const { k, dir } = await kubectl();
        const crdFile = join(dir, 'crd.yaml');
        await writeFile(crdFile, gatewayCrd);
        await k('apply', '--server-side', '-f', crdFile);
        await k('wait', '--for=condition=Established', 'crd/gateways.example.com');
        const file = join(dir, 'gw.yaml');
        await writeFile(file, gateway(80, 'TCP'));
        await k('apply', '--server-side', '--field-manager=web', '-f', file);
        await writeFile(file, gateway(80, 'UDP'));
        // Same port, other protocol: another element of the list-map, so no conflict.
        await k('apply', '--server-side', '--field-manager=dns', '-f', file);
        expect(
          await k('get', 'gateway', 'edge', '-o', 'jsonpath={.spec.listeners[*].protocol}'),
        ).toBe('TCP UDP');
        const entries = await managedFields(k, 'gateway', 'edge');
        const dns = entries.find((e) => e.manager === 'dns');
        expect(dns?.fieldsV1).toEqual({
          'f:spec': {
            'f:listeners': {
              'k:{"port":80,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
            },
          },
        });
        // The atomic list (no list type) is one field: a second applier conflicts on it whole.
        await writeFile(file, gateway(80, 'UDP', ['b']));
        await k('apply', '--server-side', '--field-manager=dns', '-f', file);
        await writeFile(file, gateway(80, 'TCP', ['c']));
        await expect(
          k('apply', '--server-side', '--field-manager=web', '-f', file),
        ).rejects.toThrow(/conflict with "dns": \.spec\.hosts/);
      },
    );
  },
);
