import type { ConfigMap, Pod } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { Indexer, labelIndexFunc, NAMESPACE_INDEX } from './indexer.js';
import { keyFor, splitKey } from './keys.js';

/** A pod fixture: `pod('web', 'a', { node: 'node-1', labels: { app: 'web' }, rv: '7' })`. */
function pod(
  namespace: string,
  name: string,
  at: { node?: string; labels?: Record<string, string>; rv?: string } = {},
): Pod {
  return {
    metadata: {
      namespace,
      name,
      resourceVersion: at.rv ?? '1',
      ...(at.labels && { labels: at.labels }),
    },
    spec: { containers: [], ...(at.node && { nodeName: at.node }) },
  };
}

const byNode = (p: Readonly<Pod>): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);
const names = (objs: readonly Readonly<Pod>[]): (string | undefined)[] =>
  objs.map((o) => o.metadata?.name).sort();

describe('keys', () => {
  it.each([
    [{ metadata: { namespace: 'web', name: 'a' } }, 'web/a'],
    [{ metadata: { name: 'node-1' } }, 'node-1'],
  ])('keys %j as %s and splits it back', (obj, key) => {
    expect(keyFor(obj)).toBe(key);
    expect(splitKey(key)).toEqual(obj.metadata);
  });

  it.each(['', '/a', 'a/', 'a/b/c'])('refuses to split %j', (key) => {
    expect(() => splitKey(key)).toThrow('invalid object key');
  });

  it('refuses to key an object without a name', () => {
    expect(() => keyFor({ metadata: {} })).toThrow('without metadata.name');
  });
});

describe('Indexer', () => {
  it('indexes by namespace, by a label and by a custom function such as pods by node', () => {
    const indexer = new Indexer<Pod>({ byNode, byApp: labelIndexFunc('app') });
    indexer.set(pod('web', 'a', { node: 'node-1', labels: { app: 'web' } }));
    indexer.set(pod('web', 'b', { node: 'node-2', labels: { app: 'web' } }));
    indexer.set(pod('db', 'c', { node: 'node-1', labels: { app: 'db' } }));
    indexer.set(pod('db', 'pending'));

    expect(names(indexer.byIndex(NAMESPACE_INDEX, 'web'))).toEqual(['a', 'b']);
    expect(names(indexer.byIndex('byNode', 'node-1'))).toEqual(['a', 'c']);
    expect(names(indexer.byIndex('byApp', 'web'))).toEqual(['a', 'b']);
    expect(indexer.indexKeys('byNode', 'node-2')).toEqual(['web/b']);
    expect(indexer.listIndexFuncValues('byNode').sort()).toEqual(['node-1', 'node-2']);
    expect(indexer.byIndex('byNode', 'node-9')).toEqual([]);
  });

  it('moves an object between index values when it changes, and drops it on delete', () => {
    const indexer = new Indexer<Pod>({ byNode });
    indexer.set(pod('web', 'a', { node: 'node-1' }));
    indexer.set(pod('web', 'a', { node: 'node-2', rv: '2' }));
    expect(indexer.byIndex('byNode', 'node-1')).toEqual([]);
    expect(indexer.listIndexFuncValues('byNode')).toEqual(['node-2']);

    expect(indexer.delete('web/a')?.metadata?.resourceVersion).toBe('2');
    expect(indexer.listIndexFuncValues('byNode')).toEqual([]);
    expect(indexer.listIndexFuncValues(NAMESPACE_INDEX)).toEqual([]);
    expect(indexer.delete('web/a')).toBeUndefined();
  });

  it('files what is already stored when an index is added later', () => {
    const indexer = new Indexer<Pod>();
    indexer.set(pod('web', 'a', { node: 'node-1' }));
    indexer.addIndexers({ byNode });
    expect(names(indexer.byIndex('byNode', 'node-1'))).toEqual(['a']);
    expect(() => indexer.addIndexers({ byNode })).toThrow('already exists');
    expect(() => indexer.byIndex('nope', 'x')).toThrow('no indexer named "nope"');
  });

  it('replace() reports adds, real updates and deletions with the last known object', () => {
    const indexer = new Indexer<ConfigMap>();
    const cm = (name: string, rv: string, data = 'v'): ConfigMap => ({
      metadata: { namespace: 'ns', name, resourceVersion: rv },
      data: { data },
    });
    indexer.replace([cm('kept', '1'), cm('changed', '1'), cm('gone', '1', 'last known')]);

    const result = indexer.replace([cm('kept', '1'), cm('changed', '5'), cm('new', '6')]);
    expect(result.added.map(keyFor)).toEqual(['ns/new']);
    expect(
      result.updated.map((u) => [u.old.metadata?.resourceVersion, u.new.metadata?.resourceVersion]),
    ).toEqual([['1', '5']]);
    expect(result.deleted).toEqual([cm('gone', '1', 'last known')]);
    expect(indexer.listKeys().sort()).toEqual(['ns/changed', 'ns/kept', 'ns/new']);
    expect(indexer.byIndex(NAMESPACE_INDEX, 'ns')).toHaveLength(3);
  });
});
