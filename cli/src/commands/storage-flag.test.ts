import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStorageFlag } from './storage-flag.js';

describe('--storage', () => {
  it.each([
    [undefined, {}, { kind: 'embedded', dir: resolve('.skiff/state') }],
    [undefined, { SKIFF_STATE_DIR: '/var/lib/skiff' }, { kind: 'embedded', dir: '/var/lib/skiff' }],
    ['embedded:/tmp/x', {}, { kind: 'embedded', dir: '/tmp/x' }],
    [
      'etcd:http://a:2379,http://b:2379',
      {},
      { kind: 'etcd', endpoints: ['http://a:2379', 'http://b:2379'] },
    ],
  ])('reads %s', (flag, env, expected) => {
    expect(parseStorageFlag(flag, env)).toEqual(expected);
  });

  it.each(['etcd:', 'etcd:a:2379', 'sqlite:/x'])('refuses %s with a message', (flag) => {
    expect(() => parseStorageFlag(flag, {})).toThrow(/--storage/);
  });
});
