import { apiErrors } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import type { RequestSender, RestRequest } from '../rest/index.js';
import { parseGroupVersion, serverResources } from './server-resources.js';

/** Answers GETs from a table of discovery documents; a path without one answers 503. */
function serving(documents: Record<string, unknown>): RequestSender {
  return {
    json: <T>(request: RestRequest) =>
      request.path in documents
        ? Promise.resolve(documents[request.path] as T)
        : Promise.reject(
            apiErrors.serviceUnavailable('the server is currently unable to handle the request'),
          ),
    stream: () => Promise.reject(new Error('discovery does not stream')),
  };
}

describe('serverResources', () => {
  it('reads the core group and every version of every group, and knows the preferred ones', async () => {
    const served = await serverResources(
      serving({
        '/apis': {
          groups: [
            {
              name: 'example.com',
              versions: [{ groupVersion: 'example.com/v2' }, { groupVersion: 'example.com/v1' }],
              preferredVersion: { groupVersion: 'example.com/v2' },
            },
          ],
        },
        '/api/v1': { resources: [{ name: 'pods', kind: 'Pod', namespaced: true }] },
        '/apis/example.com/v2': {
          resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }],
        },
      }),
    );
    expect(served.groupVersions).toEqual(['v1', 'example.com/v2', 'example.com/v1']);
    expect([...served.preferred]).toEqual(['v1', 'example.com/v2']);
    expect(served.lists.get('example.com/v2')?.resources?.[0]?.kind).toBe('Widget');
    // One unreadable document is reported beside the others, not thrown.
    expect(served.failed.get('example.com/v1')).toContain('unable to handle the request');
  });

  it('names group versions that do not parse instead of asking for them', async () => {
    const asked: string[] = [];
    const documents = serving({
      '/apis': { groups: [{ versions: [{ groupVersion: 'a/b/c' }] }] },
      '/api/v1': {},
    });
    const served = await serverResources({
      ...documents,
      json: <T>(request: RestRequest) => {
        asked.push(request.path);
        return documents.json<T>(request);
      },
    });
    expect(served.unparsable).toEqual(['a/b/c']);
    expect(asked).toEqual(['/apis', '/api/v1']);
  });

  it('throws when the group list itself cannot be read', async () => {
    await expect(serverResources(serving({}))).rejects.toThrow('unable to handle the request');
  });
});

describe('parseGroupVersion', () => {
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['', undefined],
    ['a/b/c', undefined],
    ['/v1', undefined],
  ])('%j → %j', (text, parsed) => {
    expect(parseGroupVersion(text)).toEqual(parsed);
  });
});
