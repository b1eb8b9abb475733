// One kubeconfig, two clients: real kubectl and ours, against the same apiserver over TLS with
// a CA, a client certificate and bearer tokens. Whatever kubectl accepts or refuses with the
// file, the skiff client must too. A missing kubectl skips locally but fails under CI=true.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKubectl, kubectlAt } from '@skiff/apiserver/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { isUnauthorized } from '@skiff/api';
import { ConnectionError } from '../rest/rest-client.js';
import { startApiServer } from '../rest/testing/api-server.js';
import { makeCertificates, type TestCertificates } from '../rest/testing/certificates.js';
import { clientFromKubeconfig } from './load.js';

const kubectl = findKubectl();
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** The kubeconfig `skiff up` would write, plus contexts that must fail. */
async function writeKubeconfig(dir: string, server: string, certs: TestCertificates) {
  await writeFile(join(dir, 'alice.crt'), certs.clientCert);
  await writeFile(join(dir, 'alice.key'), certs.clientKey);
  const cluster = (name: string, settings: object) => ({ name, cluster: { server, ...settings } });
  const file = join(dir, 'kubeconfig');
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        cluster('lab', { 'certificate-authority-data': b64(certs.caCert) }),
        cluster('lab-insecure', { 'insecure-skip-tls-verify': true }),
        cluster('lab-wrong-ca', { 'certificate-authority-data': b64(certs.clientCert) }),
      ],
      users: [
        { name: 'bob', user: { token: 'bobs-token' } },
        // Relative paths: resolved next to the kubeconfig, by kubectl and by us.
        { name: 'alice', user: { 'client-certificate': 'alice.crt', 'client-key': 'alice.key' } },
        { name: 'mallory', user: { token: 'guessed' } },
      ],
      contexts: [
        { name: 'bob', context: { cluster: 'lab', user: 'bob', namespace: 'kube-system' } },
        { name: 'alice', context: { cluster: 'lab', user: 'alice' } },
        { name: 'insecure', context: { cluster: 'lab-insecure', user: 'bob' } },
        { name: 'mallory', context: { cluster: 'lab', user: 'mallory' } },
        { name: 'wrong-ca', context: { cluster: 'lab-wrong-ca', user: 'bob' } },
      ],
      'current-context': 'bob',
    }),
  );
  return file;
}

describe.skipIf(kubectl === undefined)('the same kubeconfig for kubectl and skiff', () => {
  async function setUp() {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const certs = await makeCertificates('alice');
    const { url } = await startApiServer({ secure: { certs, tokens: { 'bobs-token': 'bob' } } });
    const file = await writeKubeconfig(dir, url, certs);
    const k = kubectlAt(kubectl ?? 'kubectl', { kubeconfig: file }, dir);
    const client = async (context?: string) => {
      const c = await clientFromKubeconfig(
        { kubeconfig: file, context },
        { retry: { maxAttempts: 1 } },
      );
      onTestFinished(() => c.close());
      return c;
    };
    return { k, client };
  }

  it.each([
    { context: 'bob', how: 'a bearer token and the CA from the file' },
    { context: 'alice', how: 'a client certificate' },
    { context: 'insecure', how: 'insecure-skip-tls-verify' },
  ])('lists namespaces with $how', async ({ context }) => {
    const { k, client } = await setUp();
    const fromKubectl = (await k('--context', context, 'get', 'ns', '-o', 'name'))
      .trim()
      .split('\n')
      .map((line) => line.replace('namespace/', ''));
    const ours = await (await client(context)).namespaces().list();
    expect(ours.items.map((ns) => ns.metadata.name).sort()).toEqual(fromKubectl.sort());
    expect(fromKubectl).toContain('default');
  });

  it("uses the context's namespace, and each sees what the other wrote", async () => {
    const { k, client } = await setUp();
    const ours = await client();
    expect(ours.namespace).toBe('kube-system');
    await k('create', 'configmap', 'from-kubectl', '--from-literal=who=kubectl');
    const read = await ours.configMaps().get('from-kubectl');
    expect(read.data).toEqual({ who: 'kubectl' });
    await ours.configMaps().create({ metadata: { name: 'from-skiff' }, data: { who: 'skiff' } });
    expect(await k('get', 'configmap', 'from-skiff', '-o', 'jsonpath={.data.who}')).toBe('skiff');
  });

  it('both refuse an unknown token: 401 Unauthorized', async () => {
    const { k, client } = await setUp();
    await expect(k('--context', 'mallory', 'get', 'ns')).rejects.toThrow(/Unauthorized/);
    await expect((await client('mallory')).namespaces().list()).rejects.toSatisfy(isUnauthorized);
  });

  it('both refuse a server certificate the CA did not sign', async () => {
    const { k, client } = await setUp();
    await expect(k('--context', 'wrong-ca', 'get', 'ns')).rejects.toThrow(/certificate/);
    await expect((await client('wrong-ca')).namespaces().list()).rejects.toThrow(ConnectionError);
  });
});
