import { describe, expect, it } from 'vitest';
import { ANCIENT_CHANGES_MANAGER, capUpdateManagers } from './cap-managers.js';
import { FieldSet } from './field-set.js';
import { recordUpdate, type ManagedEntry, type ObjectWithMeta } from './managed-fields.js';

/** An entry owning `metadata.labels.<label>`, written at second `second` of the day. */
function entry(
  manager: string,
  second: number,
  label: string,
  more: Partial<Pick<ManagedEntry, 'operation' | 'apiVersion' | 'subresource'>> = {},
): ManagedEntry {
  const set = new FieldSet();
  set.insert(['f:metadata', 'f:labels', `f:${label}`]);
  return {
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    ...more,
    time: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`,
    set,
  };
}

const updaters = (n: number, version = 'v1'): ManagedEntry[] =>
  Array.from({ length: n }, (_, i) => entry(`m${i}`, 10 + i, `l${i}`, { apiVersion: version }));

/** The entries as `manager@time: labels` lines, in the order given. */
function describeEntries(entries: readonly ManagedEntry[]): string[] {
  return entries.map((e) => {
    const labels = e.set.paths().map((p) => p[2]?.slice(2));
    return `${e.manager} ${e.operation} ${e.apiVersion}@${e.time?.slice(17, 19) ?? ''}: ${labels.join(',')}`;
  });
}

describe('capUpdateManagers (kube-apiserver keeps at most 10 Update entries)', () => {
  it.each([
    { name: 'leaves 10 Update entries alone', entries: updaters(10), kept: 10 },
    {
      name: 'does not count Apply entries',
      entries: [
        ...updaters(10),
        entry('kubectl', 1, 'a', { operation: 'Apply' }),
        entry('helm', 2, 'b', { operation: 'Apply' }),
      ],
      kept: 12,
    },
  ])('$name', ({ entries, kept }) => {
    const capped = capUpdateManagers(entries);
    expect(capped).toHaveLength(kept);
    expect(describeEntries(capped)).toEqual(describeEntries(entries));
  });

  it('folds the two oldest Update entries of one version into "ancient-changes" with the newer time', () => {
    const capped = capUpdateManagers(updaters(11));
    expect(capped.filter((e) => e.operation === 'Update')).toHaveLength(10);
    const bucket = capped.find((e) => e.manager === ANCIENT_CHANGES_MANAGER);
    expect(describeEntries(bucket ? [bucket] : [])).toEqual([
      'ancient-changes Update v1@11: l0,l1',
    ]);
    expect(capped.some((e) => e.manager === 'm0' || e.manager === 'm1')).toBe(false);
  });

  it('folds as many as it takes into the bucket, and later writes into the same bucket', () => {
    const first = capUpdateManagers(updaters(13));
    expect(first.filter((e) => e.operation === 'Update')).toHaveLength(10);
    expect(describeEntries(first.filter((e) => e.manager === ANCIENT_CHANGES_MANAGER))).toEqual([
      'ancient-changes Update v1@13: l0,l1,l2,l3',
    ]);
    // Two newer managers later: the oldest of the rest join the existing bucket.
    const again = capUpdateManagers([...first, entry('n1', 40, 'x'), entry('n2', 41, 'y')]);
    expect(again.filter((e) => e.operation === 'Update')).toHaveLength(10);
    expect(describeEntries(again.filter((e) => e.manager === ANCIENT_CHANGES_MANAGER))).toEqual([
      'ancient-changes Update v1@15: l0,l1,l2,l3,l4,l5',
    ]);
  });

  it('keeps one bucket per API version, and a lone oldest entry of a version as it is', () => {
    const entries = [entry('old-v1beta1', 1, 'b'), ...updaters(10, 'apps/v1')].map((e, i) =>
      i === 0 ? { ...e, apiVersion: 'apps/v1beta1' } : e,
    );
    const capped = capUpdateManagers(entries);
    // 11 entries: the v1beta1 one is alone in its version, so the two oldest apps/v1 go.
    expect(describeEntries(capped.filter((e) => e.manager === ANCIENT_CHANGES_MANAGER))).toEqual([
      'ancient-changes Update apps/v1@11: l0,l1',
    ]);
    expect(capped.some((e) => e.manager === 'old-v1beta1')).toBe(true);
  });

  it('orders entries of the same second by manager', () => {
    const sameSecond = Array.from({ length: 11 }, (_, i) => entry(`m${10 + i}`, 5, `l${i}`));
    const bucket = capUpdateManagers(sameSecond).find((e) => e.manager === ANCIENT_CHANGES_MANAGER);
    expect(bucket?.set.paths().map((p) => p[2])).toEqual(['f:l0', 'f:l1']);
  });
});

describe('recordUpdate caps the managers', () => {
  it('keeps 10 Update entries after 12 managers each set a label', () => {
    const obj: ObjectWithMeta = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' } as ObjectWithMeta['metadata'],
    };
    let live: ObjectWithMeta | undefined;
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(live ?? obj) as ObjectWithMeta & {
        metadata: { labels?: Record<string, string> };
      };
      next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: 'x' };
      recordUpdate(live, next, {
        request: { manager: `writer-${String(i).padStart(2, '0')}`, operation: 'Update' },
        apiVersion: 'v1',
        kind: 'ConfigMap',
        now: `2026-01-01T00:00:${String(10 + i)}Z`,
      });
      live = next;
    }
    const managers = (live?.metadata.managedFields ?? []) as { manager: string; time: string }[];
    expect(managers).toHaveLength(10);
    expect(managers[0]).toMatchObject({ manager: 'ancient-changes', time: '2026-01-01T00:00:12Z' });
    expect(managers.map((m) => m.manager).slice(1)).toEqual(
      Array.from({ length: 9 }, (_, i) => `writer-${String(i + 3).padStart(2, '0')}`),
    );
  });
});
