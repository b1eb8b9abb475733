import { builtinKinds, findKindByName } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { helperName, type ClusterKinds, type NamespacedKinds } from './typed-clients.js';

// The compiler insists this object has exactly the helpers the types declare; the test below
// checks the kinds table yields exactly these names, so types and table cannot drift apart.
const declared: Record<keyof NamespacedKinds | keyof ClusterKinds, 'namespaced' | 'cluster'> = {
  pods: 'namespaced',
  services: 'namespaced',
  endpoints: 'namespaced',
  events: 'namespaced',
  configMaps: 'namespaced',
  secrets: 'namespaced',
  replicaSets: 'namespaced',
  deployments: 'namespaced',
  leases: 'namespaced',
  endpointSlices: 'namespaced',
  nodes: 'cluster',
  namespaces: 'cluster',
  customResourceDefinitions: 'cluster',
};

describe('typed helpers', () => {
  it.each([
    { kind: 'Pod', name: 'pods' },
    { kind: 'ConfigMap', name: 'configMaps' },
    { kind: 'Endpoints', name: 'endpoints' },
    { kind: 'ReplicaSet', name: 'replicaSets' },
    { kind: 'CustomResourceDefinition', name: 'customResourceDefinitions' },
  ])('names the helper for $kind $name', ({ kind, name }) => {
    const info = findKindByName(kind);
    expect(info && helperName(info)).toBe(name);
  });

  it('has one helper per built-in kind, with the scope the table says', () => {
    const fromTable = Object.fromEntries(
      builtinKinds.map((k) => [helperName(k), k.namespaced ? 'namespaced' : 'cluster']),
    );
    expect(fromTable).toEqual(declared);
  });

  it('points each helper at its kind and namespace', () => {
    const client = createClient({ server: 'http://127.0.0.1:1', namespace: 'team' });
    const deployments = client.deployments();
    expect(deployments.gvr).toMatchObject({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
    });
    expect(deployments.namespace).toBe('team');
    expect(client.pods('other').namespace).toBe('other');
    expect(client.pods('').namespace).toBeUndefined();
    expect(client.nodes().namespace).toBeUndefined();
    expect(client.leases().gvr.group).toBe('coordination.k8s.io');
    client.close();
  });
});
