import { describe, expect, it } from 'vitest';
import { decodeEnveloped, encodeEnveloped, PROTOBUF_MAGIC } from './envelope.js';
import { fixtures } from './testing/fixtures.js';

describe('protobuf round trip', () => {
  it.each(fixtures.map((f) => [f.kind as string, f] as const))(
    '%s: JSON → protobuf → JSON gives the same object',
    (_kind, fixture) => {
      const bytes = encodeEnveloped(fixture);
      expect(bytes?.subarray(0, 4)).toEqual(PROTOBUF_MAGIC);
      const decoded = decodeEnveloped(bytes ?? Buffer.alloc(0));
      expect(decoded.object).toEqual(fixture);
    },
  );
});
