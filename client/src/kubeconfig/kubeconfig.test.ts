import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { kubeconfigPaths, loadKubeconfig, loadRestConfig, type LoadOptions } from './load.js';
import { mergeKubeconfigs } from './merge.js';
import { KubeconfigError, parseKubeconfig } from './parse.js';
import { resolveCluster } from './resolve.js';

const pem = (what: string): string =>
  `-----BEGIN ${what}-----\nMIIB${what.replace(/ /g, '')}\n-----END ${what}-----\n`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** A kubeconfig in kubectl's shape from short descriptions of its entries. */
function kubeconfig(parts: {
  clusters?: Record<string, object>;
  users?: Record<string, object>;
  contexts?: Record<string, object>;
  current?: string;
}): object {
  const named = (key: string, entries: Record<string, object> = {}) =>
    Object.entries(entries).map(([name, value]) => ({ name, [key]: value }));
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: named('cluster', parts.clusters),
    users: named('user', parts.users),
    contexts: named('context', parts.contexts),
    ...(parts.current && { 'current-context': parts.current }),
  };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function write(dir: string, file: string, content: object | string): Promise<string> {
  const path = join(dir, file);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

const lab = kubeconfig({
  clusters: {
    lab: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64(pem('CA')) },
    dev: { server: 'http://127.0.0.1:8080' },
  },
  users: {
    admin: { token: 'admin-token' },
    ann: { username: 'ann', password: 'pw' },
  },
  contexts: {
    'lab-admin': { cluster: 'lab', user: 'admin', namespace: 'apps' },
    'dev-ann': { cluster: 'dev', user: 'ann' },
  },
  current: 'lab-admin',
});

describe('loadRestConfig', () => {
  it.each<{ why: string; options: LoadOptions; expected: object }>([
    {
      why: 'uses the current context',
      options: {},
      expected: {
        server: 'https://10.0.0.1:6443',
        tls: { ca: pem('CA') },
        credentials: { token: 'admin-token' },
        namespace: 'apps',
      },
    },
    {
      why: 'switches context with --context',
      options: { context: 'dev-ann' },
      expected: {
        server: 'http://127.0.0.1:8080',
        tls: {},
        credentials: { username: 'ann', password: 'pw' },
        namespace: 'default',
      },
    },
    {
      why: 'applies --server, --namespace and --token on top of the context',
      options: { server: 'https://10.0.0.2:6443', namespace: 'web', token: 't2' },
      expected: {
        server: 'https://10.0.0.2:6443',
        tls: { ca: pem('CA') },
        credentials: { token: 't2' },
        namespace: 'web',
      },
    },
    {
      why: 'picks another cluster and user with --cluster and --user',
      options: { cluster: 'dev', user: 'ann' },
      expected: {
        server: 'http://127.0.0.1:8080',
        credentials: { username: 'ann', password: 'pw' },
        namespace: 'apps',
      },
    },
    {
      why: 'drops the CA when --insecure-skip-tls-verify is given',
      options: { insecureSkipTlsVerify: true },
      expected: { tls: { insecureSkipTlsVerify: true } },
    },
  ])('$why', async ({ options, expected }) => {
    const dir = await tempDir();
    const file = await write(dir, 'config', lab);
    expect(await loadRestConfig({ kubeconfig: file, ...options })).toMatchObject(expected);
  });

  it('reads certificate, key, CA and token files relative to the kubeconfig', async () => {
    const dir = await tempDir();
    await write(dir, 'pki/ca.crt', pem('CA'));
    await write(dir, 'pki/client.crt', pem('CERTIFICATE'));
    await write(dir, 'pki/client.key', pem('PRIVATE KEY'));
    await write(dir, 'token', 'file-token\n');
    const file = await write(
      dir,
      'config',
      kubeconfig({
        clusters: { c: { server: 'https://h:6443', 'certificate-authority': 'pki/ca.crt' } },
        users: {
          u: { 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' },
          t: { tokenFile: './token' },
        },
        contexts: { cert: { cluster: 'c', user: 'u' }, token: { cluster: 'c', user: 't' } },
        current: 'cert',
      }),
    );
    expect(await loadRestConfig({ kubeconfig: file })).toMatchObject({
      tls: { ca: pem('CA'), cert: pem('CERTIFICATE'), key: pem('PRIVATE KEY') },
      credentials: {},
    });
    expect(await loadRestConfig({ kubeconfig: file, context: 'token' })).toMatchObject({
      credentials: { tokenFile: join(dir, 'token') },
    });
  });

  it('reads certificate and key data', async () => {
    const dir = await tempDir();
    const file = await write(
      dir,
      'config',
      kubeconfig({
        clusters: { c: { server: 'https://h', 'tls-server-name': 'api.lab' } },
        users: {
          u: {
            'client-certificate-data': b64(pem('CERTIFICATE')),
            'client-key-data': b64(pem('EC PRIVATE KEY')),
          },
        },
        contexts: { x: { cluster: 'c', user: 'u' } },
        current: 'x',
      }),
    );
    expect((await loadRestConfig({ kubeconfig: file })).tls).toEqual({
      cert: pem('CERTIFICATE'),
      key: pem('EC PRIVATE KEY'),
      serverName: 'api.lab',
    });
  });

  it.each<{ why: string; config: object; options?: LoadOptions; error: RegExp }>([
    {
      why: 'a context that does not exist',
      config: lab,
      options: { context: 'nope' },
      error: /context "nope" does not exist/,
    },
    {
      why: 'a current-context that does not exist',
      config: kubeconfig({ current: 'gone' }),
      error: /context "gone" does not exist/,
    },
    {
      why: 'a context naming a missing cluster',
      config: kubeconfig({ contexts: { x: { cluster: 'c' } }, current: 'x' }),
      error: /cluster "c" does not exist/,
    },
    {
      why: 'no server anywhere',
      config: kubeconfig({ clusters: { c: {} }, contexts: { x: { cluster: 'c' } }, current: 'x' }),
      error: /context "x" has no cluster with a server/,
    },
    {
      why: 'a CA together with insecure-skip-tls-verify',
      config: kubeconfig({
        clusters: {
          c: {
            server: 'https://h',
            'insecure-skip-tls-verify': true,
            'certificate-authority-data': b64(pem('CA')),
          },
        },
        contexts: { x: { cluster: 'c' } },
        current: 'x',
      }),
      error: /root certificates file with the insecure flag is not allowed/,
    },
    {
      why: 'a certificate without its key',
      config: kubeconfig({
        clusters: { c: { server: 'https://h' } },
        users: { u: { 'client-certificate-data': b64(pem('CERTIFICATE')) } },
        contexts: { x: { cluster: 'c', user: 'u' } },
        current: 'x',
      }),
      error: /client-certificate and client-key must be given together/,
    },
    {
      why: 'data and a file for the same thing',
      config: kubeconfig({
        clusters: {
          c: {
            server: 'https://h',
            'certificate-authority': '/ca.crt',
            'certificate-authority-data': b64(pem('CA')),
          },
        },
        contexts: { x: { cluster: 'c' } },
        current: 'x',
      }),
      error: /certificate-authority-data and certificate-authority are both specified/,
    },
    {
      why: 'data that is not base64 PEM',
      config: kubeconfig({
        clusters: { c: { server: 'https://h', 'certificate-authority-data': 'not-pem' } },
        contexts: { x: { cluster: 'c' } },
        current: 'x',
      }),
      error: /certificate-authority-data is not the base64 of a PEM block/,
    },
    {
      why: 'a missing CA file',
      config: kubeconfig({
        clusters: { c: { server: 'https://h', 'certificate-authority': '/nonexistent/ca.crt' } },
        contexts: { x: { cluster: 'c' } },
        current: 'x',
      }),
      error: /certificate-authority: cannot read \/nonexistent\/ca.crt/,
    },
    {
      why: 'an exec credential plugin',
      config: kubeconfig({
        clusters: { c: { server: 'https://h' } },
        users: { u: { exec: { command: 'aws' } } },
        contexts: { x: { cluster: 'c', user: 'u' } },
        current: 'x',
      }),
      error: /authenticates with "exec", which skiff does not support/,
    },
  ])('refuses $why', async ({ config, options, error }) => {
    const dir = await tempDir();
    const file = await write(dir, 'config', config);
    const failure = loadRestConfig({ kubeconfig: file, ...options });
    await expect(failure).rejects.toThrow(KubeconfigError);
    await expect(failure).rejects.toThrow(error);
  });
});

describe('finding and merging kubeconfigs', () => {
  it('merges KUBECONFIG files: the first to name an entry or a current context wins', async () => {
    const dir = await tempDir();
    const personal = await write(
      dir,
      'personal',
      kubeconfig({
        clusters: { shared: { server: 'https://mine:6443' } },
        users: { me: { token: 'mine' } },
        contexts: { mine: { cluster: 'shared', user: 'me', namespace: 'play' } },
      }),
    );
    const team = await write(
      dir,
      'team',
      kubeconfig({
        clusters: { shared: { server: 'https://team:6443' }, extra: { server: 'https://x' } },
        users: { me: { token: 'team' } },
        contexts: { mine: { cluster: 'extra' }, team: { cluster: 'shared', user: 'me' } },
        current: 'team',
      }),
    );
    const env = { KUBECONFIG: `${personal}::${dir}/missing:${team}:${personal}` };
    const { config, found } = await loadKubeconfig({ env });
    expect(found).toEqual([personal, team]);
    expect(config.currentContext).toBe('team');
    expect([...config.clusters.keys()]).toEqual(['shared', 'extra']);
    expect(config.clusters.get('shared')?.server).toBe('https://mine:6443');
    expect(config.contexts.get('mine')).toMatchObject({ cluster: 'shared', namespace: 'play' });
    expect(await loadRestConfig({ env })).toMatchObject({
      server: 'https://mine:6443',
      credentials: { token: 'mine' },
      namespace: 'default',
    });
  });

  it('takes current-context from a later file when earlier ones leave it out', () => {
    const a = parseKubeconfig(stringify(kubeconfig({})), 'a');
    const b = parseKubeconfig(stringify(kubeconfig({ current: 'b' })), 'b');
    const c = parseKubeconfig(stringify(kubeconfig({ current: 'c' })), 'c');
    expect(mergeKubeconfigs([a, b, c]).currentContext).toBe('b');
  });

  it.each([
    {
      why: '--kubeconfig alone',
      source: { kubeconfig: '/k', env: { KUBECONFIG: '/a' } },
      paths: ['/k'],
      mustExist: true,
    },
    {
      why: 'KUBECONFIG, without empties or repeats',
      source: { env: { KUBECONFIG: '/a::/b:/a' } },
      paths: ['/a', '/b'],
      mustExist: false,
    },
    {
      why: '~/.kube/config by default',
      source: { env: { HOME: '/home/ann' } },
      paths: ['/home/ann/.kube/config'],
      mustExist: false,
    },
  ])('looks at $why', ({ source, paths, mustExist }) => {
    expect(kubeconfigPaths(source)).toEqual({ paths, mustExist });
  });

  it('fails for a --kubeconfig file that does not exist', async () => {
    const dir = await tempDir();
    await expect(loadRestConfig({ kubeconfig: join(dir, 'nope') })).rejects.toThrow(
      /kubeconfig .*nope: cannot read it/,
    );
  });

  it('needs a server when no kubeconfig exists, and works with one', async () => {
    const dir = await tempDir();
    const env = { HOME: dir };
    await expect(loadRestConfig({ env })).rejects.toThrow(/no kubeconfig found .* no server given/);
    expect(await loadRestConfig({ env, server: 'http://127.0.0.1:8080' })).toEqual({
      server: 'http://127.0.0.1:8080',
      tls: {},
      credentials: {},
      namespace: 'default',
    });
  });
});

describe('parseKubeconfig', () => {
  it('reads an empty file as an empty kubeconfig', () => {
    const config = parseKubeconfig('', '/k');
    expect(config.clusters.size + config.users.size + config.contexts.size).toBe(0);
    expect(config.currentContext).toBeUndefined();
  });

  it.each([
    { text: 'clusters: [', error: /kubeconfig \/k: not valid YAML/ },
    { text: '- a\n- b\n', error: /kubeconfig \/k must be a mapping/ },
    { text: 'clusters: {a: 1}', error: /kubeconfig \/k: clusters must be a list/ },
    { text: 'clusters: [{cluster: {}}]', error: /clusters\[0\].name is required/ },
    {
      text: 'clusters: [{name: a, cluster: {server: 1}}]',
      error: /clusters\[0\].cluster.server must be a string/,
    },
    {
      text: 'clusters: [{name: a, cluster: {insecure-skip-tls-verify: "yes"}}]',
      error: /insecure-skip-tls-verify must be true or false/,
    },
    { text: 'users: [{name: a, user: [1]}]', error: /users\[0\].user must be a mapping/ },
    {
      text: 'clusters: [{name: a, cluster: {extensions: {x: 1}}}]',
      error: /clusters\[0\].cluster.extensions must be a list/,
    },
    {
      text: 'clusters: [{name: a, cluster: {extensions: [{extension: {}}]}}]',
      error: /clusters\[0\].cluster.extensions\[0\].name is required/,
    },
  ])('names the file and field of a mistake: $text', ({ text, error }) => {
    expect(() => parseKubeconfig(text, '/k')).toThrow(error);
  });

  it("keeps each cluster's extensions by name, for the context's cluster to be found", () => {
    const text = stringify(
      kubeconfig({
        clusters: {
          lab: {
            server: 'http://10.0.0.1:6443',
            extensions: [{ name: 'skiff', extension: { scheduler: 'http://127.0.0.1:4000' } }],
          },
          dev: { server: 'http://127.0.0.1:8080' },
        },
        contexts: { lab: { cluster: 'lab' }, dev: { cluster: 'dev' } },
        current: 'lab',
      }),
    );
    const config = parseKubeconfig(text, '/k');
    expect(resolveCluster(config).extensions?.get('skiff')).toEqual({
      scheduler: 'http://127.0.0.1:4000',
    });
    expect(resolveCluster(config, { context: 'dev' }).extensions?.size).toBe(0);
  });
});
