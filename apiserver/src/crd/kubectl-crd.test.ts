// Real kubectl against custom resources: apply a CRD, wait for it to be established, apply a
// custom resource (kubectl sends JSON merge patches for kinds it has no type for), get it by
// plural, singular, kind and short name, and delete both; print a CRD's printer columns; refuse
// a typo'd field as kubectl's default fieldValidation=Strict asks. A missing kubectl skips
// locally but fails under CI=true.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiServerBackends, onCleanup, startApi } from '../server/testing/api-fixture.js';
import { findKubectl, kubectlAt } from '../testing/kubectl.js';

const backends = apiServerBackends();

const crdYaml = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer, default: 1}
`;

const cronTab = (image: string): string => `
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: nightly
spec:
  cronSpec: "0 3 * * *"
  image: ${image}
`;

/** The same CRD with printer columns, as operators ship them. */
const crdWithColumnsYaml = `${crdYaml}    additionalPrinterColumns:
    - {name: Schedule, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Image, type: string, jsonPath: .spec.image, priority: 1}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
`;

const kubectl = findKubectl();

describe.skipIf(kubectl === undefined).each(backends)(
  'real kubectl with custom resources on $name storage',
  (backend) => {
    it('applies a CRD and a custom resource, then gets and deletes them', async () => {
      const { url } = await startApi(backend);
      const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-crd-'));
      onCleanup(() => rm(dir, { recursive: true, force: true }));
      const k = kubectlAt(kubectl ?? 'kubectl', { server: url }, dir);
      const crdFile = join(dir, 'crd.yaml');
      const crFile = join(dir, 'crontab.yaml');
      await writeFile(crdFile, crdYaml);
      await writeFile(crFile, cronTab('cron:1'));

      expect(await k('apply', '-f', crdFile)).toBe(
        'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n',
      );
      expect(
        await k(
          'wait',
          '--for=condition=established',
          '--timeout=10s',
          'crd/crontabs.stable.example.com',
        ),
      ).toBe(
        'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met\n',
      );

      expect(await k('apply', '-f', crFile)).toBe('crontab.stable.example.com/nightly created\n');
      expect(await k('get', 'crontabs')).toMatch(/^NAME\s+AGE\nnightly\s+\d+s\n$/);
      for (const name of ['crontab', 'CronTab', 'ct', 'crontabs.stable.example.com']) {
        expect(await k('get', name, '-o', 'name')).toBe('crontab.stable.example.com/nightly\n');
      }

      await writeFile(crFile, cronTab('cron:2'));
      expect(await k('apply', '-f', crFile)).toBe(
        'crontab.stable.example.com/nightly configured\n',
      );
      expect(await k('get', 'ct', 'nightly', '-o', 'jsonpath={.spec.image} {.spec.replicas}')).toBe(
        'cron:2 1',
      );

      expect(await k('delete', '-f', crFile)).toBe(
        'crontab.stable.example.com "nightly" deleted\n',
      );
      expect(await k('delete', '-f', crdFile)).toBe(
        'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n',
      );
      // kubectl's discovery cache may still know the resource: then the server's 404 shows.
      await expect(k('get', 'crontabs')).rejects.toThrow(
        /the server doesn't have a resource type "crontabs"|could not find the requested resource/,
      );
    });

    it('prints printer columns and refuses a typo unless --validate=false', async () => {
      const { url } = await startApi(backend);
      const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-crd-'));
      onCleanup(() => rm(dir, { recursive: true, force: true }));
      const k = kubectlAt(kubectl ?? 'kubectl', { server: url }, dir);
      const crdFile = join(dir, 'crd.yaml');
      const crFile = join(dir, 'crontab.yaml');
      const typoFile = join(dir, 'typo.yaml');
      await writeFile(crdFile, crdWithColumnsYaml);
      await writeFile(crFile, cronTab('cron:1'));
      await writeFile(
        typoFile,
        `${cronTab('cron:1').replace('nightly', 'typo')}  imagePullPolicy: Always\n`,
      );
      await k('apply', '-f', crdFile);
      await k(
        'wait',
        '--for=condition=established',
        '--timeout=10s',
        'crd/crontabs.stable.example.com',
      );

      await k('apply', '-f', crFile);
      expect(await k('get', 'crontabs')).toMatch(
        /^NAME\s+SCHEDULE\s+REPLICAS\s+AGE\nnightly\s+0 3 \* \* \*\s+1\s+\d+s\n$/,
      );
      expect(await k('get', 'crontabs', '-o', 'wide')).toMatch(
        /^NAME\s+SCHEDULE\s+REPLICAS\s+IMAGE\s+AGE\nnightly\s+0 3 \* \* \*\s+1\s+cron:1\s+\d+s\n$/,
      );

      await expect(k('apply', '-f', typoFile)).rejects.toThrow(
        'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.imagePullPolicy"',
      );
      await expect(k('get', 'crontab', 'typo')).rejects.toThrow(/NotFound|not found/);
      expect(await k('apply', '--validate=false', '-f', typoFile)).toBe(
        'crontab.stable.example.com/typo created\n',
      );
      expect(await k('get', 'ct', 'typo', '-o', 'jsonpath={.spec}')).toBe(
        '{"cronSpec":"0 3 * * *","image":"cron:1","replicas":1}',
      );
    });
  },
);
