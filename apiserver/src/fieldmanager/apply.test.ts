import { describe, expect, it } from 'vitest';
import { recordApply } from './apply.js';
import { ApplyError } from './apply-error.js';
import { recordUpdate, type ObjectWithMeta, type WriteContext } from './managed-fields.js';
import { mergeApplied } from './merge.js';
import { rootType } from './schema.js';

const T1 = '2026-01-01T00:00:01Z';
const T2 = '2026-01-01T00:00:02Z';
const type = rootType('v1', 'ConfigMap');

const ctx = (
  manager: string,
  now: string,
  operation: 'Apply' | 'Update' = 'Apply',
): WriteContext => ({
  request: { manager, operation },
  apiVersion: 'v1',
  kind: 'ConfigMap',
  now,
});

const cm = (data: Record<string, string>): ObjectWithMeta => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' } as ObjectWithMeta['metadata'],
  data,
});

/** Applies `config` as `manager` over `live` the way the PATCH handler does. */
function apply(
  live: ObjectWithMeta | undefined,
  config: ObjectWithMeta,
  manager: string,
  force = false,
): ObjectWithMeta {
  const next = (
    live ? mergeApplied(live, config, type) : structuredClone(config)
  ) as ObjectWithMeta;
  recordApply(live, next, ctx(manager, T2), { config, force });
  return next;
}

function conflictOf(fn: () => unknown): ApplyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplyError) return err;
    throw err;
  }
  throw new Error('no conflict');
}

describe('server-side apply bookkeeping', () => {
  it('owns exactly what the configuration sets, without "." for maps it did not create', () => {
    const created = apply(undefined, cm({ a: '1' }), 'alice');
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'v1',
        time: T2,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      },
    ]);
  });

  it('shares a field two appliers set to the same value, and conflicts on a different one', () => {
    const live = apply(undefined, cm({ a: '1' }), 'alice');
    const shared = apply(live, cm({ a: '1' }), 'bob');
    expect(shared.metadata.managedFields?.map((e) => (e as { manager: string }).manager)).toEqual([
      'alice',
      'bob',
    ]);
    const err = conflictOf(() => apply(shared, cm({ a: '2' }), 'carol'));
    expect(err.code).toBe(409);
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "alice"\n- .data.a\nconflicts with "bob"\n- .data.a',
    );
  });

  it('names an Update manager with its version in a conflict', () => {
    const live = cm({ a: '1' });
    recordUpdate(undefined, live, ctx('kubectl-client-side-apply', T1, 'Update'));
    const err = conflictOf(() => apply(live, cm({ a: '2' }), 'other'));
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a',
    );
    expect(err.conflicts).toEqual([
      { manager: '"kubectl-client-side-apply" using v1', field: '.data.a' },
    ]);
  });

  it('takes the field over when forced', () => {
    const live = apply(undefined, cm({ a: '1', b: '1' }), 'alice');
    const forced = apply(live, cm({ a: '2' }), 'bob', true);
    const byManager = Object.fromEntries(
      (forced.metadata.managedFields as { manager: string; fieldsV1: unknown }[]).map((e) => [
        e.manager,
        e.fieldsV1,
      ]),
    );
    expect(byManager).toEqual({
      alice: { 'f:data': { 'f:b': {} } },
      bob: { 'f:data': { 'f:a': {} } },
    });
  });

  it('removes a field the applier dropped unless another manager owns it', () => {
    const live = apply(undefined, cm({ a: '1', b: '1', c: '1' }), 'alice');
    const bobToo = apply(live, cm({ c: '1' }), 'bob');
    const after = apply(bobToo, cm({ a: '1' }), 'alice');
    expect(after.data).toEqual({ a: '1', c: '1' });
  });

  it('keeps a time when a re-apply changes nothing', () => {
    const live = apply(undefined, cm({ a: '1' }), 'alice');
    const next = mergeApplied(live, cm({ a: '1' }), type) as ObjectWithMeta;
    recordApply(live, next, ctx('alice', '2026-01-01T00:00:09Z'), {
      config: cm({ a: '1' }),
      force: false,
    });
    expect(next.metadata.managedFields).toEqual(live.metadata.managedFields);
  });
});
