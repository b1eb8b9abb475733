// The verbs that change objects — create, apply, label, annotate, scale, patch, delete — against a
// real apiserver, each run by skiff on one object and by real kubectl (1.33) on its twin, so what
// they print, their errors and exit codes compare line for line (the twins' names aside).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  type Ran,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';

const minor = '1.33';
let cluster: VerbCluster;

beforeAll(async () => {
  cluster = await startVerbCluster();
});
afterAll(() => cluster.close());

const manifest = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}-cm, labels: { app: ${name} } }
data: { a: "1" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}-web }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: busybox }] }
`;

/** Runs the same steps with skiff on `s-<case>` and kubectl on `k-<case>`; answers both runs. */
async function twins(
  name: string,
  steps: ((who: string, file: string) => string[])[],
): Promise<[Ran, Ran][]> {
  const runs: [Ran, Ran][] = [];
  const files: Record<string, string> = {};
  for (const who of ['s', 'k']) {
    files[who] = join(cluster.dir, `${who}-${name}.yaml`);
    await writeFile(files[who], manifest(`${who}-${name}`));
  }
  for (const step of steps) {
    const skiff = await cluster.skiff(...step(`s-${name}`, files.s ?? ''));
    const kubectl = await cluster.kubectl(minor, ...step(`k-${name}`, files.k ?? ''));
    runs.push([skiff, kubectl]);
  }
  return runs;
}

function expectSame(runs: [Ran, Ran][], name: string): void {
  for (const [skiff, kubectl] of runs) {
    const asTwin = (text: string) => text.replaceAll(`s-${name}`, `k-${name}`);
    expect({ out: asTwin(skiff.out), err: asTwin(skiff.err), code: skiff.code }).toEqual({
      out: kubectl.out,
      err: kubectl.err,
      code: kubectl.code,
    });
  }
}

describe.skipIf(kubectlBinary(minor) === undefined)(
  `write verbs print what kubectl ${minor} prints`,
  () => {
    it('create -f, and again (AlreadyExists, naming the file)', async () => {
      const runs = await twins('create', [
        (_, f) => ['create', '-f', f],
        (_, f) => ['create', '-f', f],
      ]);
      expectSame(runs, 'create');
      expect(runs[0]?.[0].out).toBe(
        'configmap/s-create-cm created\ndeployment.apps/s-create-web created\n',
      );
    });

    it('apply --server-side -f, twice', async () => {
      const apply = (_: string, f: string) => ['apply', '--server-side', '-f', f];
      expectSame(await twins('apply', [apply, apply]), 'apply');
    });

    it('label: add, refuse to overwrite, overwrite, remove; annotate', async () => {
      expectSame(
        await twins('label', [
          (_, f) => ['create', '-f', f],
          (n) => ['label', 'cm', `${n}-cm`, 'tier=front'],
          (n) => ['label', 'cm', `${n}-cm`, 'tier=back'],
          (n) => ['label', 'cm', `${n}-cm`, 'tier=back', '--overwrite'],
          (n) => ['label', 'cm', `${n}-cm`, 'tier=back'],
          (n) => ['label', `configmap/${n}-cm`, 'tier-'],
          (n) => ['annotate', 'cm', `${n}-cm`, 'note=hello'],
          (n) => ['label', 'cm', `${n}-missing`, 'a=b'],
          (n) => ['label', 'cm', `${n}-cm`],
        ]),
        'label',
      );
    });

    it('scale, with and without a matching --current-replicas', async () => {
      expectSame(
        await twins('scale', [
          (_, f) => ['create', '-f', f],
          (n) => ['scale', 'deploy', `${n}-web`, '--replicas=3'],
          (n) => ['scale', `deployment.apps/${n}-web`, '--replicas=2', '--current-replicas=3'],
          (n) => ['scale', 'deploy', `${n}-web`, '--replicas=5', '--current-replicas=1'],
          (n) => ['scale', 'deploy', `${n}-web`],
          (n) => ['get', 'deploy', `${n}-web`, '-o', 'jsonpath={.spec.replicas}'],
        ]),
        'scale',
      );
    });

    it('patch: strategic, no change, merge, json, a bad type', async () => {
      expectSame(
        await twins('patch', [
          (_, f) => ['create', '-f', f],
          (n) => ['patch', 'cm', `${n}-cm`, '-p', '{"data":{"b":"2"}}'],
          (n) => ['patch', 'cm', `${n}-cm`, '-p', '{"data":{"b":"2"}}'],
          (n) => [
            'patch',
            'cm',
            `${n}-cm`,
            '--type=merge',
            '-p',
            '{"data":{"a":null}}',
            '-o',
            'jsonpath={.data}',
          ],
          (n) => [
            'patch',
            'deploy',
            `${n}-web`,
            '--type=json',
            '-p',
            '[{"op":"replace","path":"/spec/replicas","value":4}]',
          ],
          (n) => ['patch', 'cm', `${n}-cm`, '--type=bogus', '-p', '{}'],
        ]),
        'patch',
      );
    });

    it('delete by name, missing, -l, --cascade=orphan, -f with --ignore-not-found, bad input', async () => {
      expectSame(
        await twins('delete', [
          (_, f) => ['create', '-f', f],
          (n) => ['delete', 'cm', `${n}-cm`],
          (n) => ['delete', 'cm', `${n}-cm`],
          (n) => ['delete', 'deploy', '-l', `app=${n}`],
          // Orphaning needs the garbage collector to drop its finalizer: none runs here, so no wait.
          (n) => ['delete', 'deploy', `${n}-web`, '--cascade=orphan', '--wait=false'],
          (_, f) => ['delete', '-f', f, '--ignore-not-found'],
          (_, f) => ['delete', '-f', f],
          () => ['delete', 'cm'],
          () => ['delete', 'cm', 'x', '--cascade=sometimes'],
        ]),
        'delete',
      );
    });

    it('takes over what a client-side kubectl apply made, without conflicts (decision 0010)', async () => {
      const file = join(cluster.dir, 'handover.yaml');
      const cm = (a: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: handover }\ndata: { a: "${a}" }\n`;
      await writeFile(file, cm('1'));
      expect((await cluster.kubectl(minor, 'apply', '-f', file)).out).toBe(
        'configmap/handover created\n',
      );
      await writeFile(file, cm('2'));
      expect(await cluster.skiff('apply', '-f', file)).toEqual({
        code: 0,
        out: 'configmap/handover serverside-applied\n',
        err: '',
      });
      expect((await cluster.skiff('get', 'cm', 'handover', '-o', 'jsonpath={.data.a}')).out).toBe(
        '2',
      );
      // …and kubectl's server-side apply, the same field manager, follows on without conflicts.
      await writeFile(file, cm('3'));
      expect(await cluster.kubectl(minor, 'apply', '--server-side', '-f', file)).toEqual({
        code: 0,
        out: 'configmap/handover serverside-applied\n',
        err: '',
      });
    });
  },
);
