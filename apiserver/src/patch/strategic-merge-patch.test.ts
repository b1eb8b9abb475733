import { describe, expect, it } from 'vitest';
import { deepFreeze } from '@skiff/api';
import {
  at,
  makeDeployment,
  makePod,
  nginxContainer,
  patchFailure,
  podSpec,
  sidecarContainer,
} from './fixtures.js';
import type { JsonObject, JsonValue } from './json.js';
import { type PatchTarget, applyStrategicMergePatch } from './strategic-merge-patch.js';

const pod: PatchTarget = { apiVersion: 'v1', kind: 'Pod' };
const deployment: PatchTarget = { apiVersion: 'apps/v1', kind: 'Deployment' };

function patchPod(patch: JsonValue, original: JsonObject = makePod()): JsonObject {
  return applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), pod);
}

function names(list: JsonValue | undefined): JsonValue[] {
  return Array.isArray(list) ? list.map((item) => at(item, 'name') ?? null) : [];
}

describe('strategic merge patch: lists merged by key', () => {
  it('merges a container by name, leaving its other fields and the other containers alone', () => {
    const result = patchPod({ spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } });
    expect(at(result, 'spec', 'containers')).toEqual([
      nginxContainer('nginx:1.26'),
      sidecarContainer(),
    ]);
  });

  it('adds an env var to one container without touching the existing ones', () => {
    const result = patchPod({
      spec: { containers: [{ name: 'nginx', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] },
    });
    // A new element comes before the server's elements it is compared with, as in Kubernetes.
    expect(at(result, 'spec', 'containers', 0, 'env')).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'MODE', value: 'production' },
    ]);
    expect(at(result, 'spec', 'containers', 0, 'ports')).toEqual(nginxContainer()['ports']);
  });

  it('changes an env var in place, deleting a field of it with null', () => {
    const original = makePod(
      podSpec([
        {
          ...nginxContainer(),
          env: [
            { name: 'A', value: '1' },
            { name: 'MODE', value: 'x' },
          ],
        },
      ]),
    );
    const result = patchPod(
      {
        spec: {
          containers: [
            {
              name: 'nginx',
              env: [
                {
                  name: 'MODE',
                  value: null,
                  valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
                },
              ],
            },
          ],
        },
      },
      original,
    );
    expect(at(result, 'spec', 'containers', 0, 'env')).toEqual([
      { name: 'A', value: '1' },
      { name: 'MODE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('puts a container that is new to the server first (as kubectl patch shows on a real cluster)', () => {
    const result = patchPod({
      spec: { containers: [{ name: 'metrics', image: 'prom/exporter' }] },
    });
    expect(names(at(result, 'spec', 'containers'))).toEqual(['metrics', 'nginx', 'log-shipper']);
  });

  it('deletes a container port with $patch: delete', () => {
    const original = makePod(
      podSpec([
        {
          ...nginxContainer(),
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 443, name: 'https' },
          ],
        },
      ]),
    );
    const result = patchPod(
      {
        spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, $patch: 'delete' }] }] },
      },
      original,
    );
    expect(at(result, 'spec', 'containers', 0, 'ports')).toEqual([
      { containerPort: 443, name: 'https' },
    ]);
  });

  it('deletes a whole container with $patch: delete', () => {
    const result = patchPod({ spec: { containers: [{ name: 'log-shipper', $patch: 'delete' }] } });
    expect(names(at(result, 'spec', 'containers'))).toEqual(['nginx']);
  });

  it('replaces the containers list with $patch: replace', () => {
    const result = patchPod({
      spec: { containers: [{ name: 'only', image: 'busybox' }, { $patch: 'replace' }] },
    });
    expect(at(result, 'spec', 'containers')).toEqual([{ name: 'only', image: 'busybox' }]);
  });

  it('replaces tolerations whole, since they have no merge key', () => {
    const result = patchPod({ spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } });
    expect(at(result, 'spec', 'tolerations')).toEqual([{ key: 'gpu', operator: 'Exists' }]);
  });

  it('replaces container args whole, since they have no merge strategy', () => {
    const result = patchPod({
      spec: { containers: [{ name: 'log-shipper', args: ['--verbose'] }] },
    });
    expect(at(result, 'spec', 'containers', 1, 'args')).toEqual(['--verbose']);
  });

  it('merges Pod status conditions by type', () => {
    const result = patchPod({
      status: { conditions: [{ type: 'Ready', status: 'True', reason: null }] },
    });
    expect(at(result, 'status', 'conditions')).toEqual([
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
    ]);
  });

  it('merges ownerReferences by uid', () => {
    const owner = (uid: string, name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name,
      uid,
    });
    const original = makePod();
    original['metadata'] = {
      ...(original['metadata'] as JsonObject),
      ownerReferences: [owner('u1', 'web-1')],
    };
    const result = patchPod(
      { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, owner('u2', 'web-2')] } },
      original,
    );
    expect(at(result, 'metadata', 'ownerReferences')).toEqual([
      { ...owner('u1', 'web-1'), controller: true },
      owner('u2', 'web-2'),
    ]);
  });

  it('merges Service ports by port', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
    };
    const result = applyStrategicMergePatch(
      deepFreeze(service),
      deepFreeze({
        spec: {
          ports: [
            { port: 80, targetPort: 9090 },
            { port: 443, $patch: 'delete' },
          ],
        },
      }),
      { apiVersion: 'v1', kind: 'Service' },
    );
    expect(at(result, 'spec', 'ports')).toEqual([{ name: 'http', port: 80, targetPort: 9090 }]);
  });

  it('merges Node addresses and conditions by type', () => {
    const node = {
      metadata: { name: 'n1' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.5' },
          { type: 'Hostname', address: 'n1' },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    };
    const result = applyStrategicMergePatch(
      deepFreeze(node),
      deepFreeze({
        status: {
          addresses: [{ type: 'InternalIP', address: '10.0.0.6' }],
          conditions: [{ type: 'MemoryPressure', status: 'False' }],
        },
      }),
      { apiVersion: 'v1', kind: 'Node' },
    );
    expect(at(result, 'status', 'addresses')).toEqual([
      { type: 'InternalIP', address: '10.0.0.6' },
      { type: 'Hostname', address: 'n1' },
    ]);
    expect(names(at(result, 'status', 'conditions'))).toHaveLength(2);
  });

  it('merges the pod template of a ReplicaSet like a Pod spec', () => {
    const rs = { ...makeDeployment(), kind: 'ReplicaSet' };
    const result = applyStrategicMergePatch(
      deepFreeze(rs),
      deepFreeze({
        spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
      }),
      { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    );
    expect(at(result, 'spec', 'template', 'spec', 'containers')).toEqual([
      nginxContainer('nginx:1.26'),
      sidecarContainer(),
    ]);
  });
});

describe('strategic merge patch: directives kubectl apply sends', () => {
  it('orders a merged list by $setElementOrder', () => {
    const result = patchPod({
      spec: {
        '$setElementOrder/containers': [{ name: 'log-shipper' }, { name: 'nginx' }],
        containers: [{ name: 'nginx', image: 'nginx:1.26' }],
      },
    });
    expect(at(result, 'spec', 'containers')).toEqual([
      sidecarContainer(),
      nginxContainer('nginx:1.26'),
    ]);
    expect(Object.keys(at(result, 'spec') ?? {})).not.toContain('$setElementOrder/containers');
  });

  it('adds and removes containers in the order $setElementOrder gives', () => {
    const result = patchPod({
      spec: {
        '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'metrics' }],
        containers: [
          { name: 'metrics', image: 'prom/exporter' },
          { name: 'log-shipper', $patch: 'delete' },
        ],
      },
    });
    expect(names(at(result, 'spec', 'containers'))).toEqual(['nginx', 'metrics']);
  });

  it('keeps a server-only container where the server had it when $setElementOrder omits it', () => {
    const original = makePod(
      podSpec([
        { name: 'istio-proxy', image: 'istio/proxyv2' },
        nginxContainer(),
        sidecarContainer(),
      ]),
    );
    const result = patchPod(
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'log-shipper' }, { name: 'nginx' }],
          containers: [{ name: 'nginx', image: 'nginx:1.26' }],
        },
      },
      original,
    );
    expect(names(at(result, 'spec', 'containers'))).toEqual([
      'istio-proxy',
      'log-shipper',
      'nginx',
    ]);
  });

  it('reorders a list with $setElementOrder alone', () => {
    const result = patchPod({
      metadata: { '$setElementOrder/finalizers': ['example.com/audit', 'example.com/cleanup'] },
    });
    expect(at(result, 'metadata', 'finalizers')).toEqual([
      'example.com/audit',
      'example.com/cleanup',
    ]);
  });

  it('removes finalizers with $deleteFromPrimitiveList/finalizers', () => {
    const result = patchPod({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/audit'] },
    });
    expect(at(result, 'metadata', 'finalizers')).toEqual(['example.com/cleanup']);
  });

  it('unions finalizers as a set (merge strategy on a primitive list)', () => {
    const result = patchPod({ metadata: { finalizers: ['example.com/new', 'example.com/audit'] } });
    // The new value is compared with the first server-only one and, being unknown there, goes first.
    expect(at(result, 'metadata', 'finalizers')).toEqual([
      'example.com/new',
      'example.com/cleanup',
      'example.com/audit',
    ]);
  });

  it('switches a Deployment from RollingUpdate to Recreate with $retainKeys', () => {
    const result = applyStrategicMergePatch(
      deepFreeze(makeDeployment()),
      deepFreeze({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }),
      deployment,
    );
    expect(at(result, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
  });

  it('keeps rollingUpdate when the strategy patch has no $retainKeys (why kubectl sends it)', () => {
    const result = applyStrategicMergePatch(
      deepFreeze(makeDeployment()),
      deepFreeze({ spec: { strategy: { type: 'Recreate' } } }),
      deployment,
    );
    expect(at(result, 'spec', 'strategy', 'rollingUpdate')).toBeDefined();
  });

  it('switches a volume source with $retainKeys inside the volumes list', () => {
    const result = patchPod({
      spec: { volumes: [{ name: 'config', $retainKeys: ['emptyDir', 'name'], emptyDir: {} }] },
    });
    expect(at(result, 'spec', 'volumes')).toEqual([{ name: 'config', emptyDir: {} }]);
  });
});

describe('strategic merge patch: maps', () => {
  it('deletes a label with null', () => {
    const result = patchPod({ metadata: { labels: { tier: null } } });
    expect(at(result, 'metadata', 'labels')).toEqual({ app: 'web' });
  });

  it('ignores null for a key the object does not have', () => {
    const result = patchPod({ metadata: { annotations: null } });
    expect(at(result, 'metadata')).toEqual(makePod()['metadata']);
  });

  it('replaces a map whole with $patch: replace', () => {
    const result = patchPod({ metadata: { labels: { $patch: 'replace', app: 'api' } } });
    expect(at(result, 'metadata', 'labels')).toEqual({ app: 'api' });
  });

  it('empties a map with $patch: delete', () => {
    const result = patchPod({ metadata: { labels: { $patch: 'delete' } } });
    expect(at(result, 'metadata', 'labels')).toEqual({});
  });

  it('takes a new field as given, minus its nulls and directives', () => {
    const result = patchPod({
      spec: {
        affinity: {
          nodeAffinity: null,
          podAntiAffinity: {
            $retainKeys: ['preferredDuringSchedulingIgnoredDuringExecution'],
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } },
              { $patch: 'delete', weight: 1 },
            ],
          },
        },
      },
    });
    expect(at(result, 'spec', 'affinity')).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    });
  });

  it('merges data of a ConfigMap, a kind with only ObjectMeta tags', () => {
    const result = applyStrategicMergePatch(
      deepFreeze({ metadata: { name: 'cfg' }, data: { a: '1', b: '2' } }),
      deepFreeze({ data: { b: null, c: '3' } }),
      { apiVersion: 'v1', kind: 'ConfigMap' },
    );
    expect(result).toEqual({ metadata: { name: 'cfg' }, data: { a: '1', c: '3' } });
  });

  it('replaces the whole object with a top-level $patch: replace', () => {
    const result = patchPod({ $patch: 'replace', metadata: { name: 'fresh' } });
    expect(result).toEqual({ metadata: { name: 'fresh' } });
  });
});

describe('strategic merge patch: errors', () => {
  it("answers 415 with Kubernetes' message for a custom resource", () => {
    const err = patchFailure(() =>
      applyStrategicMergePatch(
        { spec: {} },
        { spec: { size: 2 } },
        { apiVersion: 'example.com/v1', kind: 'Widget' },
      ),
    );
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json',
    );
  });

  const malformed: { name: string; patch: JsonValue; message: RegExp }[] = [
    {
      name: '$patch: merge in a list element',
      patch: { spec: { containers: [{ name: 'nginx', $patch: 'merge' }] } },
      message: /\$patch: merge in list spec.containers is not supported/,
    },
    {
      name: 'an unknown $patch in a map',
      patch: { metadata: { labels: { $patch: 'strict' } } },
      message: /unknown \$patch directive "strict" in the map at metadata.labels/,
    },
    {
      name: 'a list element without its merge key',
      patch: { spec: { containers: [{ image: 'nginx:1.26' }] } },
      message: /element \{"image":"nginx:1.26"\} of spec.containers lacks its merge key name/,
    },
    {
      name: 'a patch setting a key its $retainKeys would drop',
      patch: { spec: { volumes: [{ name: 'config', $retainKeys: ['name'], emptyDir: {} }] } },
      message: /sets emptyDir .* which its \$retainKeys list \["name"\] would drop/,
    },
    {
      name: 'a patch list out of line with $setElementOrder',
      patch: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }],
          containers: [{ name: 'log-shipper', image: 'x' }],
        },
      },
      message:
        /order of spec.containers in the patch does not match its \$setElementOrder\/containers list/,
    },
    {
      name: '$deleteFromPrimitiveList on a list without merge strategy',
      patch: {
        spec: {
          containers: [{ name: 'log-shipper', '$deleteFromPrimitiveList/args': ['--quiet'] }],
        },
      },
      message: /cannot apply to spec.containers\[name="log-shipper"\].args/,
    },
    {
      name: 'a directive key without a field',
      patch: { metadata: { $deleteFromPrimitiveList: ['x'] } },
      message: /must be \$deleteFromPrimitiveList\/<field>/,
    },
    {
      name: 'a list mixing element types',
      patch: { metadata: { finalizers: [7] } },
      message: /metadata.finalizers mixes element types/,
    },
    { name: 'a patch that is not a map', patch: [{ op: 'add' }], message: /must be a JSON object/ },
  ];

  it.each(malformed)('answers 400 for $name', ({ patch, message }) => {
    const err = patchFailure(() => patchPod(patch));
    expect(err.code).toBe(400);
    expect(err.message).toMatch(message);
  });

  it('answers 422 for a list of lists', () => {
    const node = { metadata: { name: 'n1' }, spec: { podCIDRs: ['10.0.0.0/24'] } };
    const err = patchFailure(() =>
      applyStrategicMergePatch(
        node,
        { spec: { podCIDRs: [['10.0.1.0/24']] } },
        { apiVersion: 'v1', kind: 'Node' },
      ),
    );
    expect(err.code).toBe(422);
  });
});
