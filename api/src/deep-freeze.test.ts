import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes every object and array of a decoded JSON tree', () => {
    const pod = deepFreeze(
      JSON.parse(
        '{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}',
      ) as {
        metadata: { labels: Record<string, string> };
        spec: { containers: { name: string; ports: { containerPort: number }[] }[] };
      },
    );
    const container = pod.spec.containers[0];
    for (const part of [pod, pod.metadata, pod.metadata.labels, pod.spec.containers, container]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(Object.isFrozen(container?.ports[0])).toBe(true);
    expect(() => {
      pod.metadata.labels.app = 'db';
    }).toThrow(TypeError);
  });

  it('passes primitives, null and typed arrays through untouched', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(deepFreeze(7)).toBe(7);
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze({ bytes }).bytes).toBe(bytes);
    expect(Object.isFrozen(bytes)).toBe(false);
  });

  it('leaves an already frozen subtree as it is', () => {
    const shared = Object.freeze({ inner: { n: 1 } });
    deepFreeze({ shared });
    // Frozen nodes are taken as frozen all the way down: the cache only ever freezes whole trees.
    expect(Object.isFrozen(shared.inner)).toBe(false);
  });
});
