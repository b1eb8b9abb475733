import { describe, expect, it } from 'vitest';
import { compareKeys } from './byte-order.js';

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareKeys', () => {
  const keys = [
    '',
    'a',
    'a/',
    'a/b',
    'ab',
    'b',
    'z',
    '~',
    'é',
    '\u{ffff}',
    '\u{e000}',
    '😀',
    '😀a',
  ];

  it('orders every pair of keys as their UTF-8 bytes do', () => {
    for (const a of keys) {
      for (const b of keys) {
        expect([a, b, Math.sign(compareKeys(a, b))]).toEqual([a, b, Math.sign(utf8Order(a, b))]);
      }
    }
  });

  it('sorts astral characters after the rest of the BMP, unlike String comparison', () => {
    expect(['😀', '\u{ffff}'].sort(compareKeys)).toEqual(['\u{ffff}', '😀']);
  });
});
