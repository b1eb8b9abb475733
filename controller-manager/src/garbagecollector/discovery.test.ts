import { describe, expect, it } from 'vitest';
import { fromDocuments, kindKey } from './discovery.js';

const all = ['get', 'list', 'watch', 'create', 'delete'];

describe('garbage collector discovery', () => {
  const found = fromDocuments(
    [
      {
        groupVersion: 'v1',
        list: {
          resources: [
            { name: 'pods', kind: 'Pod', namespaced: true, verbs: all },
            { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'update'] },
            { name: 'events', kind: 'Event', namespaced: true, verbs: all },
            { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
            { name: 'nodes', kind: 'Node', namespaced: false, verbs: all },
          ],
        },
      },
      {
        groupVersion: 'example.com/v1',
        list: { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: all }] },
      },
      {
        groupVersion: 'example.com/v1beta1',
        list: { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: all }] },
      },
      {
        groupVersion: 'broken.io/v1',
        error: 'the server is currently unable to handle the request',
      },
    ],
    new Set(['v1', 'example.com/v1', 'broken.io/v1']),
  );

  it('monitors the preferred version of what can be listed, watched and deleted, except events', () => {
    expect(found.monitored.map((r) => `${r.resource}.${r.version}.${r.group}`)).toEqual([
      'pods.v1.',
      'nodes.v1.',
      'widgets.v1.example.com',
    ]);
  });

  it('resolves owner kinds of every served version, with their scope', () => {
    expect(found.kinds.get(kindKey('example.com/v1beta1', 'Widget'))).toMatchObject({
      resource: 'widgets',
      version: 'v1beta1',
      namespaced: true,
    });
    expect(found.kinds.get(kindKey('v1', 'Node'))?.namespaced).toBe(false);
  });

  it('reports groups whose document could not be read', () => {
    expect([...found.failedGroups.keys()]).toEqual(['broken.io/v1']);
  });
});
