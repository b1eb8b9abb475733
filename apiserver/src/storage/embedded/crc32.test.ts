import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from './crc32.js';

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with the portable table implementation on arbitrary data', () => {
    const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    for (const len of [0, 1, 3, 64, 4096]) {
      expect(crc32(data.subarray(0, len))).toBe(tableCrc32(data.subarray(0, len)));
    }
  });
});
