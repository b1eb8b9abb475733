// Hostile JSON values: the shapes and extremes a careless or malicious client sends where a
// well-typed field is expected. Each generator is small so a failing case is easy to read back.
import type { Prng } from './prng.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that break naive handling: NUL, control characters, surrogates, RTL, paths, huge. */
export function weirdString(rng: Prng): string {
  return rng.weighted<string>([
    [3, () => ''],
    [2, () => 'a\u0000b'],
    [2, () => '\u0000'],
    [2, () => 'ünïcödé-名前-🚀'],
    [1, () => '\u202egnp.exe'],
    [1, () => '\ud800'],
    [1, () => '\ufeff\u200b'],
    [2, () => '../../etc/passwd'],
    [1, () => 'a/b'],
    [1, () => '%2F%00'],
    [2, () => ' leading and trailing '],
    [2, () => 'UPPER_case.name'],
    [2, () => '-'],
    [2, () => 'x'.repeat(rng.pick([63, 64, 253, 254, 1000]))],
    [1, () => 'y'.repeat(rng.between(100_000, 300_000))],
    [2, () => rng.pick(['NaN', 'Infinity', '-Infinity', '1e999', '-5', '0x10', '0', 'null'])],
    [1, () => rng.pick(['true', 'false', '{}', '[]', '"quoted"', "'single'", '\\'])],
    [2, () => rng.pick(['100m', '1Gi', '-1', '1e3', '0.5', '1.5Ki', '99999999999999999999Ei'])],
    [1, () => rng.pick(['2026-13-45T99:99:99Z', 'not-a-time', '1970-01-01T00:00:00Z'])],
    [2, () => randomText(rng, rng.between(1, 40))],
  ]);
}

function randomText(rng: Prng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.int(0x3000));
  return s;
}

export function weirdNumber(rng: Prng): number {
  return rng.pick([
    0,
    -1,
    1,
    -5,
    0.5,
    -0.0001,
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_VALUE,
    rng.between(-1000, 100_000),
  ]);
}

/**
 * Arrays or objects nested `depth` levels deep. Too deep for JSON.stringify to recurse into, so
 * the value is a marker that `./bodies.ts` expands when it writes the body text.
 */
export function deeplyNested(rng: Prng, depth: number): Json {
  return `__FUZZ_DEEP_${depth}_${rng.chance(0.5) ? 'a' : 'o'}__`;
}

const deepMarker = /"?__FUZZ_DEEP_(\d+)_([ao])__"?/g;

/** Replaces the markers of deeplyNested with the nesting itself, in JSON or YAML flow syntax. */
export function expandDeep(text: string): string {
  return text.replace(deepMarker, (_m, depth: string, shape: string) => {
    const n = Number(depth);
    return shape === 'a'
      ? `${'['.repeat(n)}1${']'.repeat(n)}`
      : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

/** Any value at all, of a random type; `depth` bounds how far containers nest. */
export function randomValue(rng: Prng, depth = 2): Json {
  return rng.weighted<Json>([
    [2, () => null],
    [2, () => rng.chance(0.5)],
    [3, () => weirdNumber(rng)],
    [4, () => weirdString(rng)],
    [
      depth > 0 ? 2 : 0,
      () => Array.from({ length: rng.between(0, 4) }, () => randomValue(rng, depth - 1)),
    ],
    [depth > 0 ? 2 : 0, () => randomObject(rng, depth - 1)],
    [1, () => ({})],
    [1, () => []],
  ]);
}

function randomObject(rng: Prng, depth: number): { [key: string]: Json } {
  const obj: { [key: string]: Json } = {};
  const keys = rng.between(0, 4);
  for (let i = 0; i < keys; i++) {
    obj[rng.chance(0.5) ? weirdString(rng) : rng.pick(commonKeys)] = randomValue(rng, depth);
  }
  return obj;
}

/** Field names the apiserver looks at, so random objects collide with real semantics. */
export const commonKeys = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'namespace',
  'generateName',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'resourceVersion',
  'uid',
  'deletionTimestamp',
  'spec',
  'status',
  'containers',
  'image',
  'ports',
  'env',
  'volumes',
  'replicas',
  'selector',
  'template',
  'nodeName',
  'type',
  'clusterIP',
  'clusterIPs',
  'nodePort',
  'port',
  'data',
  'stringData',
  '$patch',
  '$retainKeys',
  '$deleteFromPrimitiveList/finalizers',
  '$setElementOrder/containers',
  'target',
  'gracePeriodSeconds',
  'propagationPolicy',
  'preconditions',
  'dryRun',
  'orphanDependents',
];
