// `skiff wait` against a real apiserver: conditions, deletion and JSONPath values, beside
// kubectl 1.33 where the outcome is immediate; and a wait that a later status change ends.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';

let cluster: VerbCluster;
beforeAll(async () => {
  cluster = await startVerbCluster();
  const file = join(cluster.dir, 'cm.yaml');
  await writeFile(
    file,
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cfg }\ndata: { a: b }\n',
  );
  expect((await cluster.skiff('create', '-f', file)).code).toBe(0);
});
afterAll(() => cluster.close());

describe.skipIf(kubectlBinary('1.33') === undefined)(
  'skiff wait prints what kubectl 1.33 prints',
  () => {
    it.each(
      [
        ['wait', '--for=jsonpath={.data.a}=b', 'cm/cfg'],
        ['wait', '--for=jsonpath={.data.a}=zz', 'cm', 'cfg', '--timeout=1s'],
        ['wait', '--for=delete', 'cm/nonexistent', '--timeout=2s'],
        ['wait', '--for=condition=Ready', 'pod/nonexistent', '--timeout=1s'],
        ['wait', '--for=bogus', 'cm/cfg'],
      ].map((a) => [a.join(' '), a]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl('1.33', ...args),
      ]);
      expect(skiff).toEqual(kubectl);
    });
  },
);

describe('skiff wait', () => {
  it('returns once a condition it waits for is reported', async () => {
    const file = join(cluster.dir, 'deploy.yaml');
    await writeFile(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: c, image: busybox }] }\n',
    );
    expect((await cluster.skiff('create', '-f', file)).code).toBe(0);
    const waiting = cluster.skiff(
      'wait',
      '--for=condition=Available',
      'deploy/web',
      '--timeout=60s',
    );
    const status =
      '{"status":{"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"}]}}';
    const patched = await cluster.skiff(
      'patch',
      'deploy',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      status,
    );
    expect(patched.code).toBe(0);
    expect(await waiting).toEqual({ code: 0, out: 'deployment.apps/web condition met\n', err: '' });
  });
});
