// `skiff get` against a real apiserver, compared with what real kubectl (1.27 and 1.33) prints
// for the same objects: the server's tables cell for cell (ages blanked: the two ask a moment
// apart), -o yaml|json|name|jsonpath|custom-columns byte for byte, errors and exit codes alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  tableCells,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const versions = ['1.27', '1.33'].filter((v) => kubectlBinary(v) !== undefined);

const objects = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: { app: web, tier: front }
data:
  color: blue
  count: "3"
  when: "2026-01-01T00:00:00Z"
  script: |
    echo one
    echo two
---
apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels: { app: hello }
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
`;

let cluster: VerbCluster;

beforeAll(async () => {
  cluster = await startVerbCluster();
  const file = join(cluster.dir, 'objects.yaml');
  await writeFile(file, objects);
  const applied = await cluster.skiff('apply', '-f', file);
  expect(applied.err).toBe('');
  const second = join(cluster.dir, 'other.yaml');
  await writeFile(
    second,
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: elsewhere, namespace: other }\n',
  );
  expect((await cluster.skiff('create', '-f', second)).code).toBe(0);
});

afterAll(() => cluster.close());

describe.skipIf(versions.length === 0).each(versions)(
  'skiff get prints what kubectl %s prints',
  (minor) => {
    it.each(
      [
        ['get', 'pods'],
        ['get', 'pods,cm,deploy'],
        ['get', 'all', '-A'],
        ['get', 'cm', '-A', '--show-labels'],
        ['get', 'deploy', '-o', 'wide'],
        ['get', 'cm', '-L', 'app', '-L', 'tier', '--sort-by=.metadata.name'],
        ['get', 'cm', 'settings', 'nope'],
        ['get', 'cm', '-l', 'app=web', '--no-headers'],
        ['get', 'ns', '--field-selector', 'metadata.name=other'],
        ['get', 'pods', '-n', 'other'],
        ['get', 'nodes'],
      ].map((args) => [args.join(' '), args]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl(minor, ...args),
      ]);
      expect(tableCells(skiff.out)).toBe(tableCells(kubectl.out));
      expect(skiff.err).toBe(kubectl.err);
      expect(skiff.code).toBe(kubectl.code);
    });

    it.each(
      [
        ['get', 'cm', 'settings', '-o', 'yaml'],
        ['get', 'cm', 'settings', '-o', 'json'],
        ['get', 'deploy', 'web', '-o', 'yaml'],
        ['get', 'cm', '-o', 'yaml'],
        ['get', 'cm', '-A', '-o', 'name'],
        ['get', 'cm,deploy', '-o', 'name'],
        ['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'],
        ['get', 'cm', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.data}{"\\n"}{end}'],
        [
          'get',
          'pods',
          '-o',
          'jsonpath={.items[?(@.metadata.name=="hello")].spec.containers[0].image}',
        ],
        ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].ports}'],
        [
          'get',
          'pods',
          '-o',
          'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,NODE:.spec.nodeName',
        ],
        ['get', 'cm', 'nope', '-o', 'yaml'],
        ['get', 'nosuchthing'],
        ['get'],
        ['get', 'pods', '--bogus-flag'],
      ].map((args) => [args.join(' '), args]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl(minor, ...args),
      ]);
      expect(skiff.out).toBe(kubectl.out);
      expect(skiff.err).toBe(kubectl.err);
      expect(skiff.code).toBe(kubectl.code);
    });
  },
);

describe('skiff get', () => {
  it('resolves short names, kinds and group-qualified names through discovery', async () => {
    for (const name of [
      'cm',
      'ConfigMap',
      'configmap',
      'configmaps',
      'deployments.apps',
      'deploy.v1.apps',
    ]) {
      const ran = await cluster.skiff('get', name, '-o', 'name');
      expect(ran.code).toBe(0);
      expect(ran.out).toMatch(/^(configmap|deployment\.apps)\//);
    }
  });

  it('names the output formats it has when asked for one it lacks', async () => {
    const ran = await cluster.skiff('get', 'pods', '-o', 'table');
    expect(ran.code).toBe(1);
    expect(ran.err).toBe(
      'error: unable to match a printer suitable for the output format "table", allowed formats are: custom-columns, json, jsonpath, name, wide, yaml\n',
    );
  });

  it('says no resources were found on stderr and exits 0', async () => {
    const ran = await cluster.skiff('get', 'secrets', '-n', 'other');
    expect(ran).toEqual({ code: 0, out: '', err: 'No resources found in other namespace.\n' });
  });
});
