// Request bodies at the byte level: random bytes, JSON and YAML that are almost right
// (truncated, a character flipped, a bracket lost), and bodies just over the 3 MiB limit.
import { stringify as toYaml } from 'yaml';
import { MAX_BODY_BYTES } from '../http/read-body.js';
import type { Prng } from './prng.js';
import { expandDeep, type Json } from './values.js';

/** A body, sent either with a Content-Length or in chunks without one. */
export interface Body {
  readonly bytes: Buffer;
  readonly chunked: boolean;
}

export function randomBytes(rng: Prng): Buffer {
  return rng.bytes(rng.pick([0, 1, 2, 16, 300, 4096]));
}

/** A JSON text with one byte-level accident. */
export function garble(rng: Prng, text: string): string {
  if (text.length === 0) return rng.pick(['{', '"', '[', '\u0000']);
  const at = rng.int(text.length);
  return rng.weighted<string>([
    [3, () => text.slice(0, at)],
    [2, () => text.slice(0, at) + text.slice(at + 1)],
    [2, () => text.slice(0, at) + String.fromCharCode(rng.int(128)) + text.slice(at + 1)],
    [
      1,
      () =>
        text.slice(0, at) + rng.pick(['{', '}', '[', ']', ',', ':', '"', '\\']) + text.slice(at),
    ],
    [1, () => text.slice(0, at) + '\u0000' + text.slice(at)],
    [1, () => `${text}${text}`],
    [1, () => `\ufeff${text}`],
    [1, () => text.replace(/"/g, "'")],
    [1, () => `${text}\n---\n${text}`],
  ]);
}

export function jsonText(value: Json): string {
  return expandDeep(JSON.stringify(value));
}

export function yamlText(value: Json): string {
  return expandDeep(toYaml(value, { aliasDuplicateObjects: false }));
}

/** YAML features a JSON-minded server may trip on: anchors, merge keys, tags, tabs. */
export function trickyYaml(rng: Prng): string {
  return rng.pick([
    'a: &x {b: *x}\n',
    'base: &b {name: x}\nmetadata:\n  <<: *b\n',
    'metadata: !!binary aGVsbG8=\n',
    'metadata:\n\tname: tab\n',
    'kind: Pod\nmetadata: {name: x}\nspec: !!set {a, b}\n',
    'a: [1, 2\n',
    '- - - - - - - - - - - - - - - - - -\n',
    '? [complex, key]\n: value\n',
    '%YAML 1.2\n---\nkind: Pod\n',
    'x: 1e999\ny: .inf\nz: .nan\n',
    `${'a: '.repeat(1)}${'['.repeat(2000)}${']'.repeat(2000)}\n`,
    'anchors: &a [*a]\n',
    `${Array.from({ length: 10 }, (_, i) => `l${i}: &l${i} [${Array.from({ length: 10 }, () => (i === 0 ? '"lol"' : `*l${i - 1}`)).join(',')}]`).join('\n')}\n`,
  ]);
}

/** An object body just over the 3 MiB limit (the server must answer 413 without a 5xx). */
export function oversized(rng: Prng, base: Json): Buffer {
  const filler = 'z'.repeat(MAX_BODY_BYTES + rng.between(1, 4096));
  const obj = typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {};
  return Buffer.from(JSON.stringify({ ...obj, data: { big: filler } }));
}
