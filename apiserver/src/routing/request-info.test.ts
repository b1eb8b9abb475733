import { ApiError } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { splitApiPath } from './request-info.js';

describe('splitApiPath', () => {
  it.each([
    ['/api/v1/namespaces/a/pods/p/binding', '', 'v1', ['namespaces', 'a', 'pods', 'p', 'binding']],
    ['/apis/apps/v1/deployments', 'apps', 'v1', ['deployments']],
    ['/api/v1/namespaces/a/configmaps/x%3Ay', '', 'v1', ['namespaces', 'a', 'configmaps', 'x:y']],
    ['/apis/example.com/v1/things/a%2Fb', 'example.com', 'v1', ['things', 'a/b']],
  ])('splits %s into group, version and decoded segments', (path, group, version, rest) => {
    expect(splitApiPath(path)).toEqual({ group, version, rest });
  });

  it('is undefined for a path outside /api and /apis', () => {
    expect(splitApiPath('/healthz')).toBeUndefined();
  });

  it('answers 400 for a malformed escape', () => {
    expect(() => splitApiPath('/api/v1/namespaces/a/pods/%E0%A4%A')).toThrow(ApiError);
    try {
      splitApiPath('/api/v1/namespaces/a/pods/%E0%A4%A');
    } catch (err) {
      expect(err instanceof ApiError && err.code).toBe(400);
    }
  });
});
