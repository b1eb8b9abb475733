import { describe, expect, it } from 'vitest';
import { hasDefaulter } from './defaults/index.js';
import {
  builtinKinds,
  findKindByName,
  kindFor,
  kindForResource,
  parseApiVersion,
  subresourceBodyKinds,
  subresourceKind,
} from './kinds.js';
import { schemaFor } from './schema/registry.js';

describe('kinds table', () => {
  it.each(builtinKinds.map((k) => [k.kind, k] as const))(
    '%s has a schema, a defaulter and a lowercase plural resource name',
    (_kind, k) => {
      expect(schemaFor(k.apiVersion, k.kind)).toBeDefined();
      expect(hasDefaulter(k.apiVersion, k.kind)).toBe(true);
      expect(k.resource).toMatch(/^[a-z]+s$/);
      expect(k.singular).toBe(k.kind.toLowerCase());
      expect(k.listKind).toBe(`${k.kind}List`);
    },
  );

  it('has a schema for every subresource body kind', () => {
    for (const k of subresourceBodyKinds) expect(schemaFor(k.apiVersion, k.kind)).toBeDefined();
  });

  it('never gives two kinds the same resource, short name or kind', () => {
    const names = builtinKinds.flatMap((k) => [k.resource, k.kind, ...k.shortNames]);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['v1', 'Pod', 'pods', true],
    ['v1', 'Node', 'nodes', false],
    ['v1', 'Endpoints', 'endpoints', true],
    ['apps/v1', 'Deployment', 'deployments', true],
    ['coordination.k8s.io/v1', 'Lease', 'leases', true],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
  ])('finds %s %s, served as %s (namespaced: %s)', (apiVersion, kind, resource, namespaced) => {
    const info = kindFor(apiVersion, kind);
    expect(info).toMatchObject({ resource, namespaced });
    const { group, version } = parseApiVersion(apiVersion);
    expect(kindForResource(group, version, resource)).toBe(info);
  });

  it('does not find a kind under the wrong apiVersion', () => {
    expect(kindFor('v1', 'Deployment')).toBeUndefined();
    expect(kindForResource('', 'v1', 'deployments')).toBeUndefined();
  });

  it.each([
    ['po', 'Pod'],
    ['svc', 'Service'],
    ['ep', 'Endpoints'],
    ['no', 'Node'],
    ['ns', 'Namespace'],
    ['ev', 'Event'],
    ['cm', 'ConfigMap'],
    ['rs', 'ReplicaSet'],
    ['deploy', 'Deployment'],
    ['crd', 'CustomResourceDefinition'],
    ['pod', 'Pod'],
    ['Deployment', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['leases.coordination.k8s.io', 'Lease'],
  ])('resolves what a user types, %s, to %s', (name, kind) => {
    expect(findKindByName(name)?.kind).toBe(kind);
  });

  it('does not resolve a name under the wrong group', () => {
    expect(findKindByName('deployments.batch')).toBeUndefined();
  });

  it('splits apiVersions into group and version', () => {
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseApiVersion('coordination.k8s.io/v1')).toEqual({
      group: 'coordination.k8s.io',
      version: 'v1',
    });
  });

  it('lists the subresources each kind serves and the kind each one speaks', () => {
    const pod = kindFor('v1', 'Pod');
    const deployment = kindFor('apps/v1', 'Deployment');
    expect(pod?.subresources).toEqual(expect.arrayContaining(['status', 'binding', 'log', 'exec']));
    expect(deployment?.subresources).toEqual(['status', 'scale']);
    if (!pod || !deployment) throw new Error('kinds table lost Pod or Deployment');
    expect(subresourceKind(pod, 'binding')).toEqual({ group: '', version: 'v1', kind: 'Binding' });
    expect(subresourceKind(deployment, 'scale')).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(subresourceKind(deployment, 'status').kind).toBe('Deployment');
  });
});
