import { describe, expect, it } from 'vitest';
import { deepFreeze } from '@skiff/api';
import { at, makeDeployment, patchFailure } from './fixtures.js';
import { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
import type { JsonObject, JsonValue } from './json.js';

const doc = (): JsonObject =>
  deepFreeze({
    metadata: {
      name: 'web',
      labels: { app: 'web' },
      annotations: { 'example.com/owner': 'team-a', 'a~b': 'tilde' },
    },
    spec: { replicas: 3, ports: [80, 443], paused: false },
  });

describe('applyJsonPatch', () => {
  const cases: { name: string; ops: JsonValue[]; check: (result: JsonObject) => void }[] = [
    {
      name: 'add sets a new map key',
      ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'frontend' }],
      check: (r) =>
        expect(r['metadata']).toMatchObject({ labels: { app: 'web', tier: 'frontend' } }),
    },
    {
      name: 'add overwrites an existing map key',
      ops: [{ op: 'add', path: '/spec/replicas', value: 5 }],
      check: (r) => expect(r['spec']).toMatchObject({ replicas: 5 }),
    },
    {
      name: 'add inserts into a list at an index, shifting the rest',
      ops: [{ op: 'add', path: '/spec/ports/1', value: 8080 }],
      check: (r) => expect(r['spec']).toMatchObject({ ports: [80, 8080, 443] }),
    },
    {
      name: 'add with index "-" appends to a list',
      ops: [{ op: 'add', path: '/spec/ports/-', value: 9090 }],
      check: (r) => expect(r['spec']).toMatchObject({ ports: [80, 443, 9090] }),
    },
    {
      name: 'add at the list length appends',
      ops: [{ op: 'add', path: '/spec/ports/2', value: 9090 }],
      check: (r) => expect(r['spec']).toMatchObject({ ports: [80, 443, 9090] }),
    },
    {
      name: 'remove deletes a map key',
      ops: [{ op: 'remove', path: '/metadata/labels/app' }],
      check: (r) => expect(r['metadata']).toMatchObject({ labels: {} }),
    },
    {
      name: 'remove deletes a list element',
      ops: [{ op: 'remove', path: '/spec/ports/0' }],
      check: (r) => expect(r['spec']).toMatchObject({ ports: [443] }),
    },
    {
      name: 'replace changes an existing value',
      ops: [{ op: 'replace', path: '/spec/paused', value: true }],
      check: (r) => expect(r['spec']).toMatchObject({ paused: true }),
    },
    {
      name: 'move takes a value from one path to another',
      ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }],
      check: (r) => expect(r['metadata']).toMatchObject({ labels: { name: 'web' } }),
    },
    {
      name: 'copy duplicates a value',
      ops: [{ op: 'copy', from: '/metadata/name', path: '/metadata/labels/name' }],
      check: (r) =>
        expect(r['metadata']).toMatchObject({ name: 'web', labels: { app: 'web', name: 'web' } }),
    },
    {
      name: 'a passing test lets the following operations apply',
      ops: [
        { op: 'test', path: '/spec/ports', value: [80, 443] },
        { op: 'replace', path: '/spec/replicas', value: 1 },
      ],
      check: (r) => expect(r['spec']).toMatchObject({ replicas: 1 }),
    },
    {
      name: 'test compares maps regardless of key order',
      ops: [{ op: 'test', path: '/metadata/labels', value: { app: 'web' } }],
      check: (r) => expect(r['metadata']).toMatchObject({ labels: { app: 'web' } }),
    },
    {
      name: '~1 in a pointer means "/" (annotation keys with slashes)',
      ops: [{ op: 'replace', path: '/metadata/annotations/example.com~1owner', value: 'team-b' }],
      check: (r) =>
        expect(r['metadata']).toMatchObject({ annotations: { 'example.com/owner': 'team-b' } }),
    },
    {
      name: '~0 in a pointer means "~"',
      ops: [{ op: 'remove', path: '/metadata/annotations/a~0b' }],
      check: (r) =>
        expect(r['metadata']).toEqual(
          expect.objectContaining({ annotations: { 'example.com/owner': 'team-a' } }),
        ),
    },
    {
      name: 'operations apply in order, each seeing the previous ones',
      ops: [
        { op: 'add', path: '/metadata/labels/tier', value: 'web' },
        { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/role' },
        { op: 'test', path: '/metadata/labels/role', value: 'web' },
      ],
      check: (r) => expect(r['metadata']).toMatchObject({ labels: { app: 'web', role: 'web' } }),
    },
    {
      name: 'an empty patch changes nothing',
      ops: [],
      check: (r) => expect(r).toEqual(doc()),
    },
  ];

  it.each(cases)('$name', ({ ops, check }) => {
    check(applyJsonPatch(doc(), deepFreeze(ops)));
  });

  const failures: { name: string; ops: JsonValue[]; message: RegExp }[] = [
    {
      name: 'remove of a missing key',
      ops: [{ op: 'remove', path: '/metadata/labels/missing' }],
      message: /operation 0 \(remove \/metadata\/labels\/missing\) failed: path .* does not exist/,
    },
    {
      name: 'replace of a missing key',
      ops: [{ op: 'replace', path: '/spec/minReadySeconds', value: 5 }],
      message: /replace \/spec\/minReadySeconds.*does not exist/,
    },
    {
      name: 'a path whose parent does not exist',
      ops: [{ op: 'add', path: '/status/conditions/0', value: {} }],
      message: /add \/status\/conditions\/0.*nothing at \/status/,
    },
    {
      name: 'a failing test',
      ops: [{ op: 'test', path: '/spec/replicas', value: 4 }],
      message:
        /operation 0 \(test \/spec\/replicas\) failed: value at \/spec\/replicas is 3, not 4/,
    },
    {
      name: 'an index past the end of a list',
      ops: [{ op: 'add', path: '/spec/ports/5', value: 1 }],
      message: /index 5 is out of bounds for a list of 2/,
    },
    {
      name: 'an index with a leading zero',
      ops: [{ op: 'replace', path: '/spec/ports/01', value: 1 }],
      message: /does not exist/,
    },
    {
      name: 'remove with "-"',
      ops: [{ op: 'remove', path: '/spec/ports/-' }],
      message: /does not exist/,
    },
    {
      name: 'a pointer not starting with "/"',
      ops: [{ op: 'add', path: 'spec/replicas', value: 1 }],
      message: /is not a JSON pointer/,
    },
    {
      name: 'an unknown op',
      ops: [{ op: 'increment', path: '/spec/replicas' }],
      message: /unknown op "increment"/,
    },
    {
      name: 'add without a value',
      ops: [{ op: 'add', path: '/spec/replicas' }],
      message: /needs a "value"/,
    },
    {
      name: 'move without from',
      ops: [{ op: 'move', path: '/spec/replicas' }],
      message: /needs a string "from"/,
    },
    {
      name: 'move into its own child',
      ops: [{ op: 'move', from: '/metadata', path: '/metadata/labels/x' }],
      message: /cannot move \/metadata into its own child/,
    },
    {
      name: 'removing the whole document',
      ops: [{ op: 'remove', path: '' }],
      message: /does not leave a JSON object/,
    },
    {
      name: 'a later operation failing after earlier ones succeeded',
      ops: [
        { op: 'replace', path: '/spec/replicas', value: 1 },
        { op: 'test', path: '/spec/paused', value: true },
      ],
      message: /operation 1 \(test \/spec\/paused\) failed/,
    },
  ];

  it.each(failures)('answers 422 for $name', ({ ops, message }) => {
    const err = patchFailure(() => applyJsonPatch(doc(), ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toMatch(message);
  });

  it.each([
    { name: 'a map instead of a list', patch: { op: 'add', path: '/a', value: 1 } },
    { name: 'a list holding a non-object', patch: ['add'] },
  ])('answers 400 for $name', ({ patch }) => {
    const err = patchFailure(() => applyJsonPatch(doc(), patch));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
  });

  it("answers 413 with Kubernetes' message for more than 10000 operations", () => {
    const ops = Array.from({ length: maxJsonPatchOperations + 1 }, () => ({
      op: 'test',
      path: '/spec/replicas',
      value: 3,
    }));
    const err = patchFailure(() => applyJsonPatch(doc(), ops));
    expect(err.code).toBe(413);
    expect(err.message).toBe('The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  it('leaves the original and the patch untouched, and never aliases the patch in the result', () => {
    const original = deepFreeze(makeDeployment());
    const value = { name: 'extra', image: 'busybox' };
    const ops = deepFreeze([{ op: 'add', path: '/spec/template/spec/containers/-', value }]);
    const result = applyJsonPatch(original, ops);
    expect(original).toEqual(makeDeployment());
    const added = at(result, 'spec', 'template', 'spec', 'containers', 2);
    expect(added).toEqual(value);
    expect(added).not.toBe(value);
  });
});
