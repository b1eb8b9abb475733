import type { Secret } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { DockerConfigError, makeDockerKeyring } from './docker-config.js';
import { imageRepository } from './image-repository.js';
import { DockerKeyring, urlsMatch, type RegistryCredential } from './keyring.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const cred = (username: string): RegistryCredential => ({ username, password: `${username}-pw` });

function keyring(entries: Record<string, string>): DockerKeyring {
  const k = new DockerKeyring();
  k.add(new Map(Object.entries(entries).map(([loc, user]) => [loc, cred(user)])));
  return k;
}

describe('DockerKeyring.lookup', () => {
  it.each([
    [
      'a host entry matches every repository on it',
      { 'registry.example.com': 'a' },
      'registry.example.com/team/app',
      ['a'],
    ],
    [
      'the scheme and a /v1/ or /v2/ suffix mean the host',
      { 'https://registry.example.com/v1/': 'a', 'http://other.example.com/v2/': 'b' },
      'other.example.com/app',
      ['b'],
    ],
    [
      'the port must be the same',
      { 'registry.example.com:5000': 'a' },
      'registry.example.com/app',
      [],
    ],
    ['a port on both matches', { '127.0.0.1:5000': 'a' }, '127.0.0.1:5000/secure/app', ['a']],
    [
      'a path entry is more specific and comes first',
      { 'quay.io': 'host', 'quay.io/coreos': 'org' },
      'quay.io/coreos/etcd',
      ['org', 'host'],
    ],
    [
      'a path entry does not match another path',
      { 'quay.io/coreos': 'org' },
      'quay.io/other/etcd',
      [],
    ],
    ['a glob matches one host label', { '*.example.com': 'a' }, 'eu.example.com/app', ['a']],
    ['a glob does not span labels', { '*.example.com': 'a' }, 'a.eu.example.com/app', []],
    [
      'another host does not match',
      { 'registry.example.com': 'a' },
      'registry.example.org/app',
      [],
    ],
    [
      'Docker Hub login applies to Hub images',
      { 'https://index.docker.io/v1/': 'hub' },
      'docker.io/library/busybox',
      ['hub'],
    ],
    [
      'Docker Hub login does not apply elsewhere',
      { 'https://index.docker.io/v1/': 'hub' },
      'quay.io/app',
      [],
    ],
  ])('%s', (_what, entries, repository, users) => {
    expect(
      keyring(entries)
        .lookup(repository)
        .map((c) => c.username),
    ).toEqual(users);
  });

  it('keeps every credential for the same registry, in the order added (rotation)', () => {
    const k = keyring({ 'r.example.com': 'old' });
    k.add(new Map([['r.example.com', cred('new')]]));
    expect(k.lookup('r.example.com/app').map((c) => c.username)).toEqual(['old', 'new']);
  });
});

describe('urlsMatch', () => {
  it.each([
    ['r.example.com', 'r.example.com/a', true],
    ['r.example.com:443', 'r.example.com/a', false],
    ['r?.example.com', 'r1.example.com/a', true],
    ['r[0-9].example.com', 'rx.example.com/a', false],
    ['r.example.com/team', 'r.example.com/team/app', true],
  ])('%s ~ %s is %s', (glob, target, matches) => {
    expect(urlsMatch(glob, target)).toBe(matches);
  });
});

describe('imageRepository', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['busybox:1.36', 'docker.io/library/busybox'],
    ['team/app:v1', 'docker.io/team/app'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox'],
    ['localhost/app', 'localhost/app'],
    ['localhost:5000/app:v1', 'localhost:5000/app'],
    ['127.0.0.1:5000/secure/app:v1', '127.0.0.1:5000/secure/app'],
    ['quay.io/coreos/etcd@sha256:abcd', 'quay.io/coreos/etcd'],
    ['r.example.com:5000/app:v1@sha256:abcd', 'r.example.com:5000/app'],
  ])('%s is pulled from %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });
});

describe('makeDockerKeyring', () => {
  const secret = (type: string, key: string, value: unknown): Secret => ({
    metadata: { name: 's' },
    type,
    data: { [key]: b64(typeof value === 'string' ? value : JSON.stringify(value)) },
  });

  it('reads a dockerconfigjson secret, splitting auth into username and password', () => {
    const k = makeDockerKeyring([
      secret('kubernetes.io/dockerconfigjson', '.dockerconfigjson', {
        auths: { '127.0.0.1:5000': { auth: b64('alice:s3:cret') } },
      }),
    ]);
    expect(k.lookup('127.0.0.1:5000/secure/app')).toEqual([
      { username: 'alice', password: 's3:cret' },
    ]);
  });

  it('reads a dockercfg secret with separate username and password', () => {
    const k = makeDockerKeyring([
      secret('kubernetes.io/dockercfg', '.dockercfg', {
        'r.example.com': { username: 'bob', password: 'pw', email: 'b@example.com' },
      }),
    ]);
    expect(k.lookup('r.example.com/app')).toEqual([{ username: 'bob', password: 'pw' }]);
  });

  it('ignores other secret types and docker configs under the wrong key', () => {
    const auths = { auths: { 'r.example.com': { auth: b64('a:b') } } };
    const k = makeDockerKeyring([
      secret('Opaque', '.dockerconfigjson', auths),
      secret('kubernetes.io/dockerconfigjson', 'config.json', auths),
    ]);
    expect(k.lookup('r.example.com/app')).toEqual([]);
  });

  it.each([
    ['JSON it cannot parse', secret('kubernetes.io/dockerconfigjson', '.dockerconfigjson', '{')],
    [
      'an auth without a colon',
      secret('kubernetes.io/dockercfg', '.dockercfg', { 'r.example.com': { auth: b64('x') } }),
    ],
  ])('fails on %s', (_what, bad) => {
    expect(() => makeDockerKeyring([bad])).toThrow(DockerConfigError);
  });
});
