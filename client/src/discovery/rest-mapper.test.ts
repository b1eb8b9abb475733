import { describe, expect, it } from 'vitest';
import { resolveKind } from '../reconcile/kinds.js';
import { NoMatchError, RESTMapper } from './rest-mapper.js';
import type { ServerResources } from './server-resources.js';

const builtin = RESTMapper.builtin();

describe('RESTMapper.resourceFor resolves names as kubectl does', () => {
  it.each([
    ['configmaps', '', 'configmaps'],
    ['cm', '', 'configmaps'],
    ['ConfigMap', '', 'configmaps'],
    ['configmap', '', 'configmaps'],
    ['deploy', 'apps', 'deployments'],
    ['deployments.apps', 'apps', 'deployments'],
    ['deployments.v1.apps', 'apps', 'deployments'],
    ['po', '', 'pods'],
    ['events', '', 'events'],
  ])('%s → %s/%s', (arg, group, resource) => {
    const m = builtin.resourceFor(arg);
    expect([m.group, m.resource]).toEqual([group, resource]);
  });

  it.each([['configmapz'], ['deployments.extensions'], ['deployments.v2.apps']])(
    "answers kubectl's error for %s",
    (arg) => {
      expect(() => builtin.resourceFor(arg)).toThrow(
        new NoMatchError(`the server doesn't have a resource type "${arg}"`),
      );
    },
  );

  it('finds a kind by apiVersion and kind, and says which is missing otherwise', () => {
    expect(builtin.kindFor('apps/v1', 'Deployment').resource).toBe('deployments');
    expect(() => builtin.kindFor('example.com/v1', 'Greeting')).toThrow(
      'no matches for kind "Greeting" in version "example.com/v1"',
    );
  });
});

describe('RESTMapper.fromDiscovery', () => {
  const discovered: ServerResources = {
    groupVersions: ['v1', 'course.example.com/v1alpha1', 'course.example.com/v1'],
    preferred: new Set(['v1', 'course.example.com/v1']),
    lists: new Map([
      ['v1', { resources: [{ name: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'] }] }],
      [
        'course.example.com/v1alpha1',
        { resources: [{ name: 'greetings', kind: 'Greeting', namespaced: true }] },
      ],
      [
        'course.example.com/v1',
        {
          resources: [
            {
              name: 'greetings',
              singularName: 'greeting',
              kind: 'Greeting',
              namespaced: true,
              shortNames: ['gr'],
            },
            { name: 'greetings/status', kind: 'Greeting', namespaced: true },
          ],
        },
      ],
    ]),
    failed: new Map(),
    unparsable: [],
  };
  const mapper = RESTMapper.fromDiscovery(discovered);

  it('prefers the preferred version and knows a CRD by its short name', () => {
    expect(mapper.resourceFor('gr')).toMatchObject({ version: 'v1', resource: 'greetings' });
    expect(mapper.resourceFor('greetings.v1alpha1.course.example.com').version).toBe('v1alpha1');
  });

  it('leaves subresources out', () => {
    expect(mapper.mappings.map((m) => m.resource)).not.toContain('greetings/status');
  });
});

describe("a controller builder's kind names", () => {
  it.each(['configMaps', 'configmaps', 'cm', 'ConfigMap'])('%s is the ConfigMap kind', (name) => {
    expect(resolveKind(name)).toMatchObject({ kind: 'ConfigMap', gvr: { resource: 'configmaps' } });
  });

  it('names the ways to name a kind when nothing matches', () => {
    expect(() => resolveKind('configmapz')).toThrow(
      /no built-in kind is served as "configmapz".*cm/,
    );
  });
});
