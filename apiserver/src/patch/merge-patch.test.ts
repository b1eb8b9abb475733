import { describe, expect, it } from 'vitest';
import { PatchError } from './errors.js';
import { deepFreeze } from '@skiff/api';
import { at, makeDeployment } from './fixtures.js';
import type { JsonObject, JsonValue } from './json.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  const cases: { name: string; original: JsonObject; patch: JsonValue; expected: JsonObject }[] = [
    {
      name: 'null deletes a key',
      original: { metadata: { labels: { app: 'web', tier: 'frontend' } } },
      patch: { metadata: { labels: { tier: null } } },
      expected: { metadata: { labels: { app: 'web' } } },
    },
    {
      name: 'null for a key that is not there changes nothing',
      original: { metadata: { name: 'web' } },
      patch: { metadata: { labels: null } },
      expected: { metadata: { name: 'web' } },
    },
    {
      name: 'maps merge recursively, leaving unmentioned keys alone',
      original: { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } } },
      patch: { spec: { selector: { matchLabels: { tier: 'frontend' } } } },
      expected: {
        spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'frontend' } } },
      },
    },
    {
      name: 'lists are replaced whole, never merged',
      original: {
        spec: {
          containers: [
            { name: 'a', image: 'a:1' },
            { name: 'b', image: 'b:1' },
          ],
        },
      },
      patch: { spec: { containers: [{ name: 'a', image: 'a:2' }] } },
      expected: { spec: { containers: [{ name: 'a', image: 'a:2' }] } },
    },
    {
      name: 'a scalar replaces a map',
      original: { data: { nested: { a: 1 } } },
      patch: { data: { nested: 'flat' } },
      expected: { data: { nested: 'flat' } },
    },
    {
      name: 'a map replaces a scalar, dropping its null members',
      original: { data: { value: 'flat' } },
      patch: { data: { value: { a: 1, b: null } } },
      expected: { data: { value: { a: 1 } } },
    },
    {
      name: 'a new map lands without its null members, at any depth',
      original: { metadata: { name: 'web' } },
      patch: { metadata: { annotations: { keep: 'yes', drop: null, deep: { x: null, y: 1 } } } },
      expected: { metadata: { name: 'web', annotations: { keep: 'yes', deep: { y: 1 } } } },
    },
    {
      name: 'an empty patch changes nothing',
      original: { metadata: { name: 'web' } },
      patch: {},
      expected: { metadata: { name: 'web' } },
    },
  ];

  it.each(cases)('$name', ({ original, patch, expected }) => {
    expect(applyMergePatch(deepFreeze(original), deepFreeze(patch))).toEqual(expected);
  });

  it('applies the document kubectl scale sends', () => {
    const result = applyMergePatch(deepFreeze(makeDeployment()), { spec: { replicas: 5 } });
    expect(at(result, 'spec', 'replicas')).toBe(5);
    expect(at(result, 'spec', 'template')).toEqual(at(makeDeployment(), 'spec', 'template'));
  });

  it.each([
    { name: 'a list', patch: [{ op: 'add' }] },
    { name: 'null', patch: null },
    { name: 'a string', patch: 'replicas=3' },
  ])('answers 400 when the patch is $name', ({ patch }) => {
    let caught: unknown;
    try {
      applyMergePatch({ metadata: {} }, patch);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchError);
    expect(caught).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('keeps keys named like Object.prototype members as plain data', () => {
    const patch = JSON.parse(
      '{"data":{"__proto__":{"polluted":true},"constructor":"x"}}',
    ) as JsonValue;
    const result = applyMergePatch({ data: {} }, patch);
    expect(Object.keys(at(result, 'data') ?? {})).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
