import { describe, expect, it } from 'vitest';
import { parseChallenges } from './auth-challenge.js';

describe('parseChallenges', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/busybox:pull',
          },
        },
      ],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'Bearer realm=https://t.example/token, service=reg',
      [{ scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg' } }],
    ],
    [
      'Basic realm="a, \\"quoted\\" realm", Bearer realm="https://t/x",scope="repository:a/b:pull,push"',
      [
        { scheme: 'basic', params: { realm: 'a, "quoted" realm' } },
        { scheme: 'bearer', params: { realm: 'https://t/x', scope: 'repository:a/b:pull,push' } },
      ],
    ],
    ['', []],
  ])('parses %j', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});
