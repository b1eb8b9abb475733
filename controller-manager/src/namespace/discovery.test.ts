import { apiErrors } from '@skiff/api';
import type { RequestSender, RestRequest } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { restDiscovery } from './discovery.js';

/** Answers GETs from a table of discovery documents; a path without one answers 503. */
function serving(documents: Record<string, unknown>): RequestSender {
  return {
    json: <T>(request: RestRequest) => {
      const doc = documents[request.path];
      if (doc === undefined)
        return Promise.reject(
          apiErrors.serviceUnavailable('the server is currently unable to handle the request'),
        );
      return Promise.resolve(doc as T);
    },
    stream: () => Promise.reject(new Error('discovery does not stream')),
  };
}

const group = (name: string, version: string) => ({
  name,
  versions: [{ groupVersion: `${name}/${version}`, version }],
  preferredVersion: { groupVersion: `${name}/${version}`, version },
});

describe('namespaced resource discovery', () => {
  it('lists the deletable namespaced resources of the core group and each preferred version', async () => {
    const discovery = restDiscovery(
      serving({
        '/apis': { groups: [group('apps', 'v1'), group('example.com', 'v1')] },
        '/api/v1': {
          groupVersion: 'v1',
          resources: [
            { name: 'pods', namespaced: true, verbs: ['delete', 'deletecollection', 'list'] },
            { name: 'pods/status', namespaced: true, verbs: ['get', 'patch', 'update'] },
            { name: 'nodes', namespaced: false, verbs: ['delete', 'list'] },
            { name: 'bindings', namespaced: true, verbs: ['create'] },
          ],
        },
        '/apis/apps/v1': {
          groupVersion: 'apps/v1',
          resources: [{ name: 'deployments', namespaced: true, verbs: ['delete', 'list'] }],
        },
      }),
    );
    const result = await discovery.namespacedResources();
    expect(result.resources.map((r) => `${r.resource}.${r.group}/${r.version}`).sort()).toEqual([
      'deployments.apps/v1',
      'pods./v1',
    ]);
    expect([...result.failedGroups]).toEqual([
      ['example.com/v1', 'the server is currently unable to handle the request'],
    ]);
    expect(result.unparsableGroupVersions).toEqual([]);
  });

  it('names group versions that do not parse instead of asking for them', async () => {
    const discovery = restDiscovery(
      serving({
        '/apis': { groups: [{ name: 'odd', preferredVersion: { groupVersion: 'odd/v1/extra' } }] },
        '/api/v1': { groupVersion: 'v1', resources: [] },
      }),
    );
    const result = await discovery.namespacedResources();
    expect(result.unparsableGroupVersions).toEqual(['odd/v1/extra']);
    expect(result.failedGroups.size).toBe(0);
  });

  it('fails as a whole when the group list cannot be read', async () => {
    await expect(restDiscovery(serving({})).namespacedResources()).rejects.toThrow(
      'the server is currently unable to handle the request',
    );
  });
});
