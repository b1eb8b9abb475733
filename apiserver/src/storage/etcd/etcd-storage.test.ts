// What is specific to the etcd backend (the shared contract is in ./etcd.conformance.test.ts):
// where keys live in etcd, and etcd's own limits surfacing as storage errors.
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VALUE_BYTES } from '../interface.js';
import { useEtcd } from '../testing/etcd-fixture.js';
import { bytes, failureOf, text } from '../testing/storage-test-helpers.js';

const fixture = useEtcd();
let raw: Etcd3;

beforeAll(() => {
  raw = new Etcd3({ hosts: fixture.etcd.endpoint });
});

afterAll(() => raw.close());

describe('etcd storage layout', () => {
  it('stores keys under /registry/ by default, as Kubernetes lays them out in etcd', async () => {
    const store = await fixture.newStore({ prefix: undefined }); // the backend's default prefix
    await store.create('pods/default/web', bytes('{"kind":"Pod"}'));
    expect(await raw.get('/registry/pods/default/web').string()).toBe('{"kind":"Pod"}');
    const listed = await store.list('pods/');
    expect(listed.items.map((kv) => kv.key)).toEqual(['pods/default/web']);
  });

  it('reads keys another etcd client wrote under its prefix, with the prefix stripped', async () => {
    const store = await fixture.newStore({ prefix: '/elsewhere/' });
    await raw.put('/elsewhere/configmaps/a').value('from etcdctl');
    await raw.put('/elsewhere-not/configmaps/b').value('not ours');
    const listed = await store.list('');
    expect(listed.items.map((kv) => `${kv.key}=${text(kv.value)}`)).toEqual([
      'configmaps/a=from etcdctl',
    ]);
  });

  it('keeps stores with different prefixes on one etcd apart', async () => {
    const [a, b] = [await fixture.newStore(), await fixture.newStore()];
    await a.create('k', bytes('a'));
    await b.create('k', bytes('b'));
    expect((await a.list('')).items.map((kv) => text(kv.value))).toEqual(['a']);
    expect((await b.list('')).items.map((kv) => text(kv.value))).toEqual(['b']);
  });
});

describe('etcd limits', () => {
  it('reports etcd refusing a request over its size limit as TooLarge, storing nothing', async () => {
    // A value of exactly MAX_VALUE_BYTES passes our own check, but etcd counts the whole
    // request (key and framing too) against the same 1.5 MiB, so etcd itself refuses it.
    const store = await fixture.newStore();
    const error = await failureOf(() => store.create('big', new Uint8Array(MAX_VALUE_BYTES)));
    expect(error.code).toBe('TooLarge');
    expect(await store.get('big')).toBeUndefined();
  });
});
