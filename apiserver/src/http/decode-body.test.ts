import { describe, expect, it } from 'vitest';
import { ApiError } from '@skiff/api';
import { bodyFormat, decodeBody, MAX_NESTING_DEPTH } from './decode-body.js';
import { jsonErrorOffset } from './json-error-offset.js';

function message(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.message}`;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('decoding request bodies', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/merge-patch+json', 'json'],
    [undefined, 'json'],
    ['application/yaml', 'yaml'],
    ['application/apply-patch+yaml', 'yaml'],
    ['application/vnd.kubernetes.protobuf', undefined],
  ])('reads %s as %s', (type, format) => {
    expect(bodyFormat(type)).toBe(format);
  });

  it('says on which line and column JSON goes wrong', () => {
    expect(message(() => decodeBody(Buffer.from('{\n  "a": 1,\n  "b": tru\n}'), 'json'))).toMatch(
      /^400 error decoding JSON body: .*\(line 3, column 8\)$/,
    );
  });

  it('says on which line and column YAML goes wrong', () => {
    expect(message(() => decodeBody(Buffer.from('a: 1\nb: [x\n'), 'yaml'))).toMatch(
      /^400 .*line \d+, column \d+/,
    );
  });

  it('refuses empty bodies and several YAML documents', () => {
    expect(message(() => decodeBody(Buffer.from('  '), 'json'))).toMatch(
      /^400 the request body is empty/,
    );
    expect(message(() => decodeBody(Buffer.from('a: 1\n---\nb: 2\n'), 'yaml'))).toMatch(/several/);
  });

  it('accepts nesting up to the limit and refuses deeper bodies with 400', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => decodeBody(Buffer.from(nested(MAX_NESTING_DEPTH)), 'json')).not.toThrow();
    expect(message(() => decodeBody(Buffer.from(nested(MAX_NESTING_DEPTH + 1)), 'json'))).toMatch(
      /^400 error decoding JSON body: nesting exceeds the maximum depth of 1000/,
    );
  });

  it.each([
    ['a cyclic alias', 'a: &x {b: *x}\n'],
    [
      'aliases that expand exponentially',
      Array.from(
        { length: 10 },
        (_, i) =>
          `l${i}: &l${i} [${Array(10)
            .fill(i === 0 ? 'x' : `*l${i - 1}`)
            .join(',')}]`,
      ).join('\n'),
    ],
  ])('refuses YAML with %s with 400', (_case, yaml) => {
    expect(message(() => decodeBody(Buffer.from(yaml), 'yaml'))).toMatch(
      /^400 error decoding YAML body: /,
    );
  });

  it.each([
    ['{"a":1}', undefined],
    ['[1, 2, {"x": null}]', undefined],
    ['{"a":}', 5],
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['{"a":1} x', 8],
    ['"unterminated', 13],
  ])('finds the first JSON syntax error in %s', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
