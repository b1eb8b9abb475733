// Protobuf request bodies (application/vnd.kubernetes.protobuf), from well formed to hostile:
// an object mutated and then encoded, the encoding truncated or with a byte flipped, random
// bytes behind the `k8s\0` prefix, an envelope naming another kind, a kind nobody registered,
// or holding garbage. Every one must be answered below 500.
import { encodeEnveloped, envelope, PROTOBUF_MAGIC } from '../protobuf/envelope.js';
import { ProtobufCodecError } from '../protobuf/codec-error.js';
import type { Body } from './bodies.js';
import type { Prng } from './prng.js';
import type { Json } from './values.js';

/** The protobuf encoding of `value`, or of `fallback` when `value` no longer fits its message. */
function encodeOr(value: Json, fallback: Json): Buffer {
  for (const candidate of [value, fallback]) {
    try {
      const bytes = encodeEnveloped(candidate);
      if (bytes) return bytes;
    } catch (err) {
      if (!(err instanceof ProtobufCodecError)) throw err;
    }
  }
  return envelope('v1', 'Unencodable', Buffer.alloc(0));
}

/**
 * A protobuf body for a write whose valid object is `valid`; `mutated` is the same object after
 * the fuzzer's mutations, `other` a valid object of some other kind.
 */
export function protobufBody(rng: Prng, valid: Json, mutated: Json, other: Json): Body {
  const good = encodeOr(mutated, valid);
  const bytes = rng.weighted<Buffer>([
    [4, () => good],
    [3, () => good.subarray(0, rng.between(0, good.length - 1))],
    [
      2,
      () => {
        const flipped = Buffer.from(good);
        const at = rng.between(4, flipped.length - 1);
        flipped[at] = (flipped[at] ?? 0) ^ (1 << rng.int(8));
        return flipped;
      },
    ],
    [2, () => Buffer.concat([PROTOBUF_MAGIC, rng.bytes(rng.pick([1, 16, 300]))])],
    [1, () => rng.bytes(rng.pick([0, 3, 64]))],
    [2, () => encodeOr(other, valid)],
    [
      1,
      () =>
        envelope(
          rng.pick(['v1', 'apps/v1', '', 'x/y/z']),
          rng.pick(['Gadget', '', 'Status', 'pod']),
          good.subarray(4),
        ),
    ],
    [1, () => envelope('v1', 'ConfigMap', rng.bytes(rng.pick([1, 8, 200])))],
  ]);
  return { bytes, chunked: rng.chance(0.1) };
}
