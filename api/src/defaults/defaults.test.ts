import { describe, expect, it } from 'vitest';
import { loadManifest, smallManifests } from '../schema/testdata/load.js';
import { validateStructure } from '../schema/validate.js';
import {
  makeDeployment,
  makePod,
  makeService,
  type PodBuilder,
} from '../testing/builders/index.js';
import type { Container, Deployment, Pod, ReplicaSet } from '../types/index.js';
import { applyDefaults } from './index.js';

// The smallest valid pod, plus what the case is about: one container `c` with a tagged image
// (so its pull policy defaults to IfNotPresent) and whatever container fields the case sets.
const basePod = (container: Partial<Container> = {}): PodBuilder =>
  makePod()
    .name('p')
    .container('c', { image: 'nginx:1.25', ...container });

/** Deep-frozen, so a defaulter that writes into its input throws instead of passing. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

const firstContainer = (pod: Pod): Container => pod.spec.containers[0] as Container;

describe('applyDefaults', () => {
  it.each<{ name: string; input: unknown; expected: unknown }>([
    {
      name: 'gives a bare pod the PodSpec and Pod defaults',
      input: basePod().obj(),
      expected: {
        spec: {
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
          securityContext: {},
          enableServiceLinks: true,
          containers: [
            {
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
        },
      },
    },
    {
      name: 'keeps values the user chose, including zero and false',
      input: basePod()
        .spec({
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 0,
          enableServiceLinks: false,
          dnsPolicy: 'Default',
        })
        .obj(),
      expected: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 0,
          enableServiceLinks: false,
          dnsPolicy: 'Default',
        },
      },
    },
    {
      name: 'defaults container port protocol to TCP and keeps UDP',
      input: basePod({
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
      }).obj(),
      expected: {
        spec: {
          containers: [
            {
              ports: [
                { containerPort: 80, protocol: 'TCP' },
                { containerPort: 53, protocol: 'UDP' },
              ],
            },
          ],
        },
      },
    },
    {
      name: 'fills in probe timings, the httpGet scheme and path, and the gRPC service',
      input: basePod({
        livenessProbe: { httpGet: { port: 8080 } },
        readinessProbe: { grpc: { port: 9000 }, periodSeconds: 3, timeoutSeconds: 0 },
        startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
      }).obj(),
      expected: {
        spec: {
          containers: [
            {
              livenessProbe: {
                httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
                periodSeconds: 10,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              readinessProbe: {
                grpc: { port: 9000, service: '' },
                periodSeconds: 3,
                timeoutSeconds: 1,
              },
              startupProbe: { failureThreshold: 30, periodSeconds: 10 },
            },
          ],
        },
      },
    },
    {
      name: 'defaults lifecycle httpGet hooks like probes',
      input: basePod({ lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } } }).obj(),
      expected: {
        spec: {
          containers: [
            { lifecycle: { preStop: { httpGet: { port: 80, path: '/quit', scheme: 'HTTP' } } } },
          ],
        },
      },
    },
    {
      name: 'requests what is limited when no request is given, per resource',
      input: basePod({
        resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m' } },
      }).obj(),
      expected: {
        spec: {
          containers: [
            {
              resources: {
                limits: { cpu: '1', memory: '1Gi' },
                requests: { cpu: '250m', memory: '1Gi' },
              },
            },
          ],
        },
      },
    },
    {
      name: 'serves numeric quantities back as strings',
      input: basePod({ resources: { limits: { cpu: 2 as unknown as string } } }).obj(),
      expected: {
        spec: { containers: [{ resources: { limits: { cpu: '2' }, requests: { cpu: '2' } } }] },
      },
    },
    {
      name: 'gives the downward API fieldRef apiVersion v1',
      input: basePod({
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      }).obj(),
      expected: {
        spec: {
          containers: [
            {
              env: [{ valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
            },
          ],
        },
      },
    },
    {
      name: 'makes a sourceless volume an emptyDir and sets file modes',
      input: basePod()
        .spec({
          volumes: [
            { name: 'scratch' },
            { name: 'cfg', configMap: { name: 'c' } },
            { name: 'key', secret: { secretName: 's', defaultMode: 0o400 } },
            { name: 'host', hostPath: { path: '/var/log' } },
          ],
        })
        .obj(),
      expected: {
        spec: {
          volumes: [
            { name: 'scratch', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
            { name: 'key', secret: { secretName: 's', defaultMode: 256 } },
            { name: 'host', hostPath: { path: '/var/log', type: '' } },
          ],
        },
      },
    },
    {
      name: 'makes container ports host ports on the host network',
      input: basePod({ ports: [{ containerPort: 8080 }] })
        .spec({ hostNetwork: true })
        .obj(),
      expected: { spec: { containers: [{ ports: [{ containerPort: 8080, hostPort: 8080 }] }] } },
    },
    {
      name: 'gives a service type, affinity, port protocol and targetPort',
      input: makeService()
        .name('s')
        .withoutPorts()
        .spec({
          selector: { app: 'a' },
          ports: [{ port: 80 }, { port: 443, targetPort: 'https' }],
        })
        .obj(),
      expected: {
        spec: {
          type: 'ClusterIP',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ports: [
            { port: 80, protocol: 'TCP', targetPort: 80 },
            { port: 443, protocol: 'TCP', targetPort: 'https' },
          ],
        },
      },
    },
    {
      name: 'gives a NodePort service an external traffic policy',
      input: makeService()
        .name('s')
        .withoutPorts()
        .spec({ type: 'NodePort', ports: [{ port: 80 }] })
        .obj(),
      expected: { spec: { type: 'NodePort', externalTrafficPolicy: 'Cluster' } },
    },
    {
      name: 'gives ClientIP affinity its three-hour timeout',
      input: makeService().name('s').withoutPorts().spec({ sessionAffinity: 'ClientIP' }).obj(),
      expected: { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } } },
    },
    {
      name: 'defaults a deployment: one replica, 25%/25% rolling update, history and deadline',
      input: makeDeployment()
        .name('d')
        .selectorLabels({ app: 'a' })
        .template(basePod().template({ app: 'a' }))
        .obj(),
      expected: {
        spec: {
          replicas: 1,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          template: {
            spec: { restartPolicy: 'Always', containers: [{ imagePullPolicy: 'IfNotPresent' }] },
          },
        },
      },
    },
    {
      name: 'keeps zero replicas and an explicit surge',
      input: makeDeployment()
        .name('d')
        .selectorLabels({ app: 'a' })
        .template(basePod().template({ app: 'a' }))
        .spec({ replicas: 0, strategy: { rollingUpdate: { maxSurge: 2 } } })
        .obj(),
      expected: {
        spec: {
          replicas: 0,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: 2, maxUnavailable: '25%' },
          },
        },
      },
    },
    {
      name: 'defaults a namespace: finalizer, Active phase and its name label',
      input: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      expected: {
        metadata: { labels: { 'kubernetes.io/metadata.name': 'shop' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'makes a secret Opaque unless typed',
      input: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
      expected: { type: 'Opaque' },
    },
    {
      name: 'keeps a typed secret',
      input: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        type: 'kubernetes.io/tls',
      },
      expected: { type: 'kubernetes.io/tls' },
    },
    {
      name: 'defaults endpoint port protocol to TCP',
      input: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'e' },
        subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }],
      },
      expected: { subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] },
    },
    {
      name: 'lets a node allocate its whole capacity when it reports no allocatable',
      input: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n' },
        status: { capacity: { cpu: 2, memory: '4Gi' } },
      },
      expected: { status: { capacity: { cpu: '2' }, allocatable: { cpu: '2', memory: '4Gi' } } },
    },
    {
      name: 'gives a CRD no-op conversion, a singular name and a list kind',
      input: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', kind: 'Widget' },
          versions: [],
        },
      },
      expected: {
        spec: {
          conversion: { strategy: 'None' },
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        },
      },
    },
  ])('$name', ({ input, expected }) => {
    expect(applyDefaults(frozen(input))).toMatchObject(expected as object);
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789abcdef', 'Always'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
  ])('pulls %s with policy %s', (image, policy) => {
    expect(firstContainer(applyDefaults(basePod({ image }).obj())).imagePullPolicy).toBe(policy);
  });

  it('keeps an explicit pull policy', () => {
    const pod = applyDefaults(basePod({ image: 'nginx', imagePullPolicy: 'Never' }).obj());
    expect(firstContainer(pod).imagePullPolicy).toBe('Never');
  });

  it('leaves priority and tolerations exactly as given', () => {
    const tolerations = [{ key: 'k', operator: 'Exists' as const }];
    const pod = applyDefaults(basePod().spec({ tolerations }).obj());
    expect(pod.spec.tolerations).toEqual(tolerations);
    expect(pod.spec).not.toHaveProperty('priority');
    expect(applyDefaults(basePod().spec({ priority: 0 }).obj()).spec.priority).toBe(0);
  });

  it('gives pod templates PodSpec defaults but not the pod-only ones', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'r' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { spec: basePod({ resources: { limits: { cpu: '1' } } }).obj().spec },
      },
    };
    const spec = applyDefaults(rs).spec;
    expect(spec.replicas).toBe(1);
    expect(spec.selector).toEqual({ matchLabels: { app: 'a' } });
    expect(spec.template?.spec).toMatchObject({
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    });
    expect(spec.template?.spec).not.toHaveProperty('enableServiceLinks');
    expect(spec.template?.spec.containers[0]?.resources).toEqual({ limits: { cpu: '1' } });
  });

  it('does not add a rolling update to a Recreate deployment', () => {
    const strategy = applyDefaults(
      makeDeployment()
        .name('d')
        .selectorLabels({ app: 'a' })
        .template(basePod().template({ app: 'a' }))
        .spec({ strategy: { type: 'Recreate' } })
        .obj(),
    ).spec.strategy;
    expect(strategy).toEqual({ type: 'Recreate' });
  });

  it('gives an ExternalName service no traffic or IP family policy', () => {
    const spec = applyDefaults(
      makeService()
        .name('s')
        .withoutPorts()
        .spec({ type: 'ExternalName', externalName: 'db.example.com' })
        .obj(),
    ).spec;
    expect(spec).not.toHaveProperty('internalTrafficPolicy');
    expect(spec).not.toHaveProperty('ipFamilyPolicy');
  });

  it('returns a new object and leaves the input untouched', () => {
    const input = loadManifest('deployment');
    const before = structuredClone(input);
    const output = applyDefaults(input);
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
  });

  it('drops null fields, as decoding into Go structs does', () => {
    const out = applyDefaults(loadManifest<Deployment>('deployment'));
    expect(out.metadata).not.toHaveProperty('creationTimestamp');
    expect(out.spec.template.metadata).not.toHaveProperty('creationTimestamp');
  });

  it('copies kinds it has no defaulter for, such as custom resources, unchanged', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 3 },
    };
    const out = applyDefaults(frozen(widget));
    expect(out).toEqual(widget);
    expect(out).not.toBe(widget);
  });

  const everyManifest = [
    ...(['deployment', 'service', 'pod', 'crd'] as const).map((n) => loadManifest(n)),
    ...smallManifests,
  ];

  it.each(everyManifest.map((m) => [m.kind, m] as const))(
    'defaults a %s into an object that is still structurally valid, and is idempotent',
    (_kind, manifest) => {
      const once = applyDefaults(manifest);
      expect(validateStructure(once)).toEqual([]);
      expect(applyDefaults(once)).toEqual(once);
    },
  );
});
