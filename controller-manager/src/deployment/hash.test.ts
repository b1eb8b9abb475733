import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from './hash.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('pod-template-hash', () => {
  it('is FNV-32a (the reference vectors)', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('safe-encodes the decimal digits into consonants and digits', () => {
    // '0' is byte 48: 48 % 27 = 21 → '4'; '9' is 57: 57 % 27 = 3 → 'f'.
    expect(safeEncodeString('09')).toBe('4f');
    expect(safeEncodeString('1234567890')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('depends on the template only, not on key order, and changes with collisionCount', () => {
    const a = makePod().container('web', { image: 'nginx:1' }).template({ app: 'web' });
    const reordered = JSON.parse(
      JSON.stringify({ spec: a.spec, metadata: a.metadata }),
    ) as typeof a;
    expect(computeHash(reordered)).toBe(computeHash(a));
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    expect(computeHash(a, 1)).not.toBe(computeHash(a, 2));
    const b = makePod().container('web', { image: 'nginx:2' }).template({ app: 'web' });
    expect(computeHash(b)).not.toBe(computeHash(a));
  });

  it('compares templates ignoring the hash label and empty maps or lists', () => {
    const a = makePod().container('web', { image: 'nginx:1' }).template({ app: 'web' });
    const hashed = structuredClone(a);
    hashed.metadata = { labels: { app: 'web', 'pod-template-hash': 'abc' }, annotations: {} };
    expect(equalIgnoreHash(a, hashed)).toBe(true);
    const other = makePod().container('web', { image: 'nginx:2' }).template({ app: 'web' });
    expect(equalIgnoreHash(a, other)).toBe(false);
  });
});
