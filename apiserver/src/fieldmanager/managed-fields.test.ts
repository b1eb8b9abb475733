import { describe, expect, it } from 'vitest';
import { recordUpdate, type ObjectWithMeta, type WriteContext } from './managed-fields.js';

const deployment = (): ObjectWithMeta => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    labels: { app: 'web' },
  } as ObjectWithMeta['metadata'],
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            imagePullPolicy: 'Always',
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
});

const ctx = (manager: string, now: string, subresource?: string): WriteContext => ({
  request: { manager, operation: 'Update' },
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  now,
  ...(subresource ? { subresource } : {}),
});

const T1 = '2026-01-01T00:00:01Z';
const T2 = '2026-01-01T00:00:02Z';

function created(): ObjectWithMeta {
  const obj = deployment();
  recordUpdate(undefined, obj, ctx('kubectl-create', T1));
  return obj;
}

function entries(obj: ObjectWithMeta): Record<string, unknown>[] {
  return (obj.metadata.managedFields ?? []) as Record<string, unknown>[];
}

describe('managedFields of an Update', () => {
  it('gives a create every field it set, with "." only where Kubernetes has a pointer or omitempty field', () => {
    expect(created().metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:progressDeadlineSeconds': {},
            'f:replicas': {},
            'f:revisionHistoryLimit': {},
            'f:selector': {},
            'f:strategy': {
              'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} },
              'f:type': {},
            },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:imagePullPolicy': {},
                    'f:name': {},
                    'f:resources': {},
                    'f:terminationMessagePath': {},
                    'f:terminationMessagePolicy': {},
                  },
                },
                'f:dnsPolicy': {},
                'f:restartPolicy': {},
                'f:schedulerName': {},
                'f:securityContext': {},
                'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
      },
    ]);
  });

  const cases: {
    name: string;
    change: (obj: Record<string, unknown>) => void;
    manager: string;
    subresource?: string;
    want: Record<string, unknown>;
  }[] = [
    {
      name: 'a changed field moves to its writer',
      manager: 'kubectl-scale',
      change: (o) => ((o.spec as Record<string, unknown>).replicas = 3),
      want: { 'kubectl-scale': { 'f:spec': { 'f:replicas': {} } } },
    },
    {
      name: 'a new label map entry is owned as a leaf',
      manager: 'kubectl-label',
      change: (o) =>
        (((o.metadata as Record<string, unknown>).labels as Record<string, string>).tier = 'a'),
      want: { 'kubectl-label': { 'f:metadata': { 'f:labels': { 'f:tier': {} } } } },
    },
    {
      name: 'a set-list element is owned by value, the new list as a whole',
      manager: 'finalizer',
      change: (o) => ((o.metadata as Record<string, unknown>).finalizers = ['example.com/x']),
      want: {
        finalizer: { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/x"': {} } } },
      },
    },
    {
      name: 'container ports are keyed by containerPort and protocol',
      manager: 'kubectl-edit',
      change: (o) => {
        const spec = (
          (o.spec as Record<string, unknown>).template as Record<string, Record<string, unknown>>
        ).spec;
        const containers = (spec?.containers ?? []) as Record<string, unknown>[];
        if (containers[0]) containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
      },
      want: {
        'kubectl-edit': {
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    'f:ports': {
                      '.': {},
                      'k:{"containerPort":80,"protocol":"TCP"}': {
                        '.': {},
                        'f:containerPort': {},
                        'f:protocol': {},
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    {
      name: 'status written through the status subresource is recorded with it',
      manager: 'kube-controller-manager',
      subresource: 'status',
      change: (o) =>
        (o.status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] }),
      want: {
        'kube-controller-manager': {
          'f:status': {
            '.': {},
            'f:conditions': {
              '.': {},
              'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} },
            },
            'f:replicas': {},
          },
        },
      },
    },
  ];

  it.each(cases)('$name', ({ change, manager, subresource, want }) => {
    const live = created();
    const next = structuredClone(live);
    change(next);
    recordUpdate(live, next, ctx(manager, T2, subresource));
    const mine = entries(next).find((e) => e.manager === manager);
    expect(mine?.fieldsV1).toEqual(want[manager]);
    expect(mine?.time).toBe(T2);
    expect(mine?.subresource).toBe(subresource);
  });

  it('takes a field from the manager that set it before', () => {
    const live = created();
    const next = structuredClone(live);
    (next.spec as Record<string, unknown>).replicas = 3;
    recordUpdate(live, next, ctx('kubectl-scale', T2));
    const creator = entries(next).find((e) => e.manager === 'kubectl-create');
    expect(creator?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(creator?.time).toBe(T1);
  });

  it('drops a removed field from every manager, and a manager left with nothing', () => {
    const live = created();
    const labelled = structuredClone(live);
    (labelled.metadata as { labels: Record<string, string> }).labels.tier = 'a';
    recordUpdate(live, labelled, ctx('kubectl-label', T2));
    const unlabelled = structuredClone(labelled);
    delete (unlabelled.metadata as { labels: Record<string, string> }).labels.tier;
    recordUpdate(labelled, unlabelled, ctx('kubectl-create', T2));
    expect(entries(unlabelled).map((e) => e.manager)).toEqual(['kubectl-create']);
  });

  it('changes nothing, not even the time, for a write that changes nothing', () => {
    const live = created();
    const next = structuredClone(live);
    recordUpdate(live, next, ctx('kubectl-create', T2));
    expect(next.metadata.managedFields).toEqual(live.metadata.managedFields);
  });

  it('keeps the managers a client sends back, and uses the live ones when it sends none', () => {
    const live = created();
    const next = structuredClone(live);
    delete next.metadata.managedFields;
    (next.spec as Record<string, unknown>).replicas = 2;
    recordUpdate(live, next, ctx('kubectl-replace', T2));
    expect(entries(next).map((e) => e.manager)).toEqual(['kubectl-create', 'kubectl-replace']);
  });

  it('stamps the time of a write that changes a field its manager already owned, in the same entry', () => {
    const live = created();
    const v2 = structuredClone(live);
    (v2.spec as Record<string, unknown>).replicas = 2;
    recordUpdate(live, v2, { ...ctx('kubectl-create', T2), apiVersion: 'apps/v1' });
    expect(entries(v2)).toHaveLength(1);
    expect(entries(v2)[0]?.time).toBe(T2);
  });
});
