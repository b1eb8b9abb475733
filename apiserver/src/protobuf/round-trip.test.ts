import { deepFreeze } from '@skiff/api';
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

describe('frozen objects (the watch cache)', () => {
  it('are encoded once and reused inside lists', () => {
    const pod = fixtures.find((f) => f.kind === 'Pod') ?? {};
    const frozen = deepFreeze(structuredClone(pod));
    const alone = encodeEnveloped(frozen);
    expect(encodeEnveloped(frozen)).toEqual(alone);
    const { apiVersion: _a, kind: _k, ...item } = pod;
    const list = {
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: { resourceVersion: '7' },
      items: [deepFreeze(structuredClone(item)), item, deepFreeze(structuredClone(item))],
    };
    const decoded = decodeEnveloped(encodeEnveloped(list) ?? Buffer.alloc(0));
    expect(decoded.object).toEqual(list);
  });
});
