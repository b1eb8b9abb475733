// `skiff explain` and `skiff api-resources` against a real apiserver: byte for byte what real
// kubectl prints from the same OpenAPI v3 documents and discovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';

let cluster: VerbCluster;
beforeAll(async () => {
  cluster = await startVerbCluster();
});
afterAll(() => cluster.close());

async function expectSameAsKubectl(minor: string, args: string[]): Promise<void> {
  const [skiff, kubectl] = await Promise.all([
    cluster.skiff(...args),
    cluster.kubectl(minor, ...args),
  ]);
  expect(skiff).toEqual(kubectl);
}

const explained = [
  ['explain', 'pods'],
  ['explain', 'pod.spec'],
  ['explain', 'pod.spec.containers'],
  ['explain', 'pod.spec.containers.ports'],
  ['explain', 'pod.metadata.labels'],
  ['explain', 'deployments'],
  ['explain', 'deploy.spec.strategy.type'],
  ['explain', 'svc.spec.type'],
  ['explain', 'nodes.status'],
  ['explain', 'pod.spec.nope'],
  ['explain', 'nosuchthing'],
  ['explain'],
];

describe.skipIf(kubectlBinary('1.33') === undefined)(
  'skiff explain prints what kubectl 1.33 prints',
  () => {
    it.each(explained.map((a) => [a.join(' '), a]))('%s', (_, args) =>
      expectSameAsKubectl('1.33', args),
    );
  },
);

describe('skiff explain', () => {
  it('explains every built-in kind the server serves', async () => {
    const lines = (await cluster.skiff('api-resources', '--no-headers')).out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const tokens = line.split(/\s+/);
      const apiVersion = tokens.find((t) => /^([a-z0-9.-]+\/)?v\d/.test(t)) ?? '';
      const ran = await cluster.skiff('explain', tokens[0] ?? '', '--api-version', apiVersion);
      expect(ran.err).toBe('');
      expect(ran.out).toMatch(/^(GROUP: .*\n)?KIND: /);
    }
  });

  it('lists every field below a kind with --recursive', async () => {
    const ran = await cluster.skiff('explain', 'pod.spec.containers', '--recursive');
    expect(ran.out).toContain('FIELDS:\n');
    expect(ran.out).toMatch(/\n {4}containerPort\t<integer> -required-\n/);
  });
});

const listed = [
  ['api-resources'],
  ['api-resources', '-o', 'wide'],
  ['api-resources', '-o', 'name'],
  ['api-resources', '--namespaced=false'],
  ['api-resources', '--api-group=apps'],
  ['api-resources', '--verbs=list,watch', '--sort-by=kind', '--no-headers'],
];

describe.each(['1.27', '1.33'].filter((v) => kubectlBinary(v) !== undefined))(
  'skiff api-resources prints what kubectl %s prints',
  (minor) => {
    it.each(listed.map((a) => [a.join(' '), a]))('%s', (_, args) =>
      expectSameAsKubectl(minor, args),
    );
  },
);
