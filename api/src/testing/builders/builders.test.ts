import { describe, expect, it } from 'vitest';
import { validateCreate } from '../../validation/index.js';
import {
  makeConfigMap,
  makeDeployment,
  makeNamespace,
  makeNode,
  makePod,
  makeReplicaSet,
  makeService,
} from './index.js';

describe('fixture builders', () => {
  it.each([
    ['pod', () => makePod().namespace('default').obj()],
    ['replica set', () => makeReplicaSet().namespace('default').obj()],
    ['deployment', () => makeDeployment().namespace('default').obj()],
    ['service', () => makeService().namespace('default').obj()],
    ['config map', () => makeConfigMap().namespace('default').data({ a: 'b' }).obj()],
    ['namespace', () => makeNamespace().obj()],
    ['node', () => makeNode().capacity({ cpu: '4' }).obj()],
  ])('build a valid %s by default', (_, build) => {
    expect(validateCreate(build())).toEqual([]);
  });

  it('hands out a fresh object on every obj()', () => {
    const builder = makePod().labels({ app: 'x' });
    const first = builder.obj();
    first.metadata.labels = {};
    builder.node('n1');
    expect(first.spec.nodeName).toBeUndefined();
    expect(builder.obj().metadata.labels).toEqual({ app: 'x' });
  });

  it('puts container-level facts on the last container, adding the default one if none', () => {
    const pod = makePod()
      .requests({ cpu: '1', memory: '1Gi' })
      .container('side', { image: 'busybox' })
      .limits({ memory: '64Mi' })
      .hostPort(8080)
      .obj();
    expect(pod.spec.containers).toEqual([
      { name: 'app', image: 'nginx', resources: { requests: { cpu: '1', memory: '1Gi' } } },
      {
        name: 'side',
        image: 'busybox',
        resources: { limits: { memory: '64Mi' } },
        ports: [{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('writes scheduling constraints where the scheduler reads them', () => {
    const term = { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone' };
    const pod = makePod()
      .nodeAffinityIn('zone', ['a', 'b'])
      .nodeAffinityNotIn('disk', ['hdd'])
      .podAntiAffinity(term)
      .preferredPodAffinity(10, term)
      .tolerations({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' })
      .topologySpreadConstraint({
        maxSkew: 1,
        topologyKey: 'zone',
        whenUnsatisfiable: 'DoNotSchedule',
      })
      .obj();
    expect(pod.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'zone', operator: 'In', values: ['a', 'b'] },
                { key: 'disk', operator: 'NotIn', values: ['hdd'] },
              ],
            },
          ],
        },
      },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term }],
      },
    });
    expect(pod.spec.tolerations).toHaveLength(1);
    expect(pod.spec.topologySpreadConstraints).toHaveLength(1);
  });

  it('stamps owner references, conditions and timestamps', () => {
    const rs = makeReplicaSet().name('web-1').namespace('ns').uid('rs-uid').obj();
    const pod = makePod()
      .controlledBy(rs)
      .phase('Running')
      .ready()
      .ready(false)
      .creationTimestamp(Date.UTC(2026, 0, 1, 12, 0, 0, 500))
      .deletionTimestamp(new Date(Date.UTC(2026, 0, 1, 12, 1)), 30)
      .obj();
    expect(pod.metadata).toMatchObject({
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-1',
          uid: 'rs-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      creationTimestamp: '2026-01-01T12:00:00Z',
      deletionTimestamp: '2026-01-01T12:01:00Z',
      deletionGracePeriodSeconds: 30,
    });
    expect(pod.status).toEqual({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
    });
  });

  it('builds nodes the scheduler can fit pods on', () => {
    const node = makeNode()
      .name('n1')
      .labels({ zone: 'a' })
      .capacity({ cpu: '4', memory: '8Gi' })
      .allocatable({ cpu: '3500m' })
      .taints({ key: 'gpu', effect: 'NoSchedule' })
      .images({ names: ['nginx'], sizeBytes: 1000 })
      .addresses({ type: 'InternalIP', address: '10.0.0.1' })
      .ready()
      .obj();
    expect(node.status).toEqual({
      capacity: { cpu: '4', memory: '8Gi' },
      allocatable: { cpu: '3500m', memory: '8Gi' },
      images: [{ names: ['nginx'], sizeBytes: 1000 }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(node.spec).toEqual({ taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
  });

  it('keeps a workload selector and its template labels in step', () => {
    const deploy = makeDeployment().selectorLabels({ app: 'api' }).replicas(3).obj();
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(deploy.spec.template.metadata?.labels).toEqual({ app: 'api' });
    expect(deploy.spec.replicas).toBe(3);
  });
});
