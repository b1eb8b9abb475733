// `skiff describe` against a real apiserver, compared with what real kubectl 1.33 prints for the
// same objects, byte for byte. The objects are written as a kubelet and controllers would write
// them (a running pod's status, a node with its lease, a Deployment's ReplicaSet, a Service's
// EndpointSlice) and the events are dated weeks ago, so every age both print is the same.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ago,
  apiRequest,
  kubectlBinary,
  startVerbCluster,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';
import { formatColumnBlocks } from '../kubectl/printers/column-blocks.js';
import { smartLabel } from '../kubectl/describe/generic.js';
import { eventInterval } from '../kubectl/describe/events.js';

const minor = '1.33';
const day = 24 * 3600 * 1000;

let cluster: VerbCluster;

/** The node's pods end in their age, which the two may read a second apart. */
const age = (text: string) => text.replace(/ {2}\d+s$/gm, '  <age>');
let deploymentUid = '';
let replicaSetUid = '';

async function apply(yaml: string): Promise<void> {
  const file = join(cluster.dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  const ran = await cluster.skiff('apply', '-f', file);
  expect(ran.err).toBe('');
}

const api = (method: string, path: string, body?: unknown) =>
  apiRequest(cluster, method, path, body);

const uidOf = (o: Record<string, unknown>) => (o.metadata as { uid: string }).uid;

function event(name: string, involved: object, extra: object): object {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: involved,
    firstTimestamp: ago(30 * day),
    lastTimestamp: ago(20 * day),
    count: 1,
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-a' },
    ...extra,
  };
}

beforeAll(async () => {
  cluster = await startVerbCluster();
  await apply(`apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: { kubernetes.io/hostname: node-a, node-role.kubernetes.io/worker: "" }
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
  taints: [{ key: dedicated, value: lab, effect: NoSchedule }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        readinessProbe: { httpGet: { path: /, port: 80 } }
        resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web, labels: { app: web } }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 80 }]
`);
  const node = await api('GET', '/api/v1/nodes/node-a', undefined);
  await api('PUT', '/api/v1/nodes/node-a/status', {
    ...node,
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '3800m', memory: '7Gi', pods: '110', 'ephemeral-storage': '90Gi' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: ago(day),
          lastTransitionTime: ago(40 * day),
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'Hostname', address: 'node-a' },
      ],
      nodeInfo: {
        machineID: 'm1',
        systemUUID: 'u1',
        bootID: 'b1',
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'skiff://0.1.0',
        kubeletVersion: 'v1.33.0',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  });
  await api('POST', '/api/v1/namespaces', { metadata: { name: 'kube-node-lease' } }).catch(
    () => undefined,
  );
  await api('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
    metadata: { name: 'node-a' },
    spec: {
      holderIdentity: 'node-a',
      leaseDurationSeconds: 40,
      renewTime: '2026-01-01T10:00:00.000000Z',
    },
  });
  const deployment = await api(
    'GET',
    '/apis/apps/v1/namespaces/default/deployments/web',
    undefined,
  );
  deploymentUid = uidOf(deployment);
  const template = (deployment.spec as { template: { metadata: { labels: object } } }).template;
  const rs = await api('POST', '/apis/apps/v1/namespaces/default/replicasets', {
    metadata: {
      name: 'web-6d8f7',
      labels: { app: 'web', 'pod-template-hash': '6d8f7' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: deploymentUid,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '6d8f7' } },
      template: {
        ...template,
        metadata: { labels: { ...template.metadata.labels, 'pod-template-hash': '6d8f7' } },
      },
    },
  });
  replicaSetUid = uidOf(rs);
  const pod = await api('POST', '/api/v1/namespaces/default/pods', {
    metadata: {
      name: 'web-6d8f7-abcde',
      labels: { app: 'web', 'pod-template-hash': '6d8f7' },
      annotations: { note: 'line one\nline two' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-6d8f7',
          uid: replicaSetUid,
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: 'node-a',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          command: ['nginx', '-g', 'daemon off;'],
          ports: [{ containerPort: 80 }, { containerPort: 443, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
          ],
          livenessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 5 },
          resources: {
            requests: { cpu: '250m', memory: '64Mi' },
            limits: { cpu: '500m', memory: '128Mi' },
          },
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'config', mountPath: '/etc/web', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'config', configMap: { name: 'web-config' } },
      ],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'lab', effect: 'NoSchedule' }],
      nodeSelector: { 'kubernetes.io/hostname': 'node-a' },
    },
  });
  await api('PUT', '/api/v1/namespaces/default/pods/web-6d8f7-abcde/status', {
    ...pod,
    status: {
      phase: 'Running',
      hostIP: '192.168.1.10',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      startTime: '2026-01-01T10:00:00Z',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imageID: 'sha256:abc',
          containerID: 'skiff://c1',
          ready: true,
          restartCount: 2,
          started: true,
          state: { running: { startedAt: '2026-01-01T10:00:05Z' } },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: 'OOMKilled',
              startedAt: '2026-01-01T09:00:00Z',
              finishedAt: '2026-01-01T09:59:00Z',
            },
          },
        },
      ],
    },
  });
  await api('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: ['10.244.1.7', '10.244.1.8', '10.244.1.9', '10.244.1.10', '10.244.1.11'].map(
      (ip, i) => ({ addresses: [ip], conditions: { ready: i !== 1 } }),
    ),
  });
  await api('POST', '/api/v1/namespaces/default/endpoints', {
    metadata: { name: 'web', labels: { app: 'web' } },
    subsets: [
      {
        addresses: [{ ip: '10.244.1.7' }],
        notReadyAddresses: [{ ip: '10.244.1.8' }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    ],
  });
  const podRef = { kind: 'Pod', name: 'web-6d8f7-abcde', namespace: 'default', uid: uidOf(pod) };
  for (const e of [
    event('pulled', podRef, {
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present',
    }),
    event('unhealthy', podRef, {
      reason: 'Unhealthy',
      type: 'Warning',
      count: 3,
      message: 'Readiness probe failed: connection refused ',
    }),
    event(
      'scaled',
      {
        kind: 'Deployment',
        name: 'web',
        namespace: 'default',
        uid: deploymentUid,
        apiVersion: 'apps/v1',
      },
      {
        reason: 'ScalingReplicaSet',
        source: { component: 'deployment-controller' },
        message: 'Scaled up replica set web-6d8f7 to 2',
        lastTimestamp: ago(25 * day),
      },
    ),
    event(
      'node-ready',
      { kind: 'Node', name: 'node-a', uid: 'node-a' },
      { reason: 'NodeReady', message: 'Node node-a status is now: NodeReady' },
    ),
    event(
      'gone-killed',
      { kind: 'Pod', name: 'gone', namespace: 'default', uid: 'uid-gone' },
      { reason: 'Killing', message: 'Stopping container main' },
    ),
  ])
    await api('POST', '/api/v1/namespaces/default/events', e);
}, 60_000);

afterAll(() => cluster.close());

describe.skipIf(kubectlBinary(minor) === undefined)(
  `skiff describe prints what kubectl ${minor} prints`,
  () => {
    it.each(
      [
        ['describe', 'pod', 'web-6d8f7-abcde'],
        ['describe', 'pods'],
        ['describe', 'pods', 'web-6d8f'],
        ['describe', 'po/web-6d8f7-abcde', '--show-events=false'],
        ['describe', 'deployment', 'web'],
        ['describe', 'rs', 'web-6d8f7'],
        ['describe', 'service', 'web'],
        ['describe', 'endpoints', 'web'],
        ['describe', 'node', 'node-a'],
        ['describe', 'namespace', 'default'],
        ['describe', 'events', 'scaled'],
        ['describe', 'deploy,svc', '-l', 'app=web'],
        ['describe', 'pod', 'nope'],
        ['describe', 'pod', 'gone'],
        ['describe', 'pods', '-n', 'kube-node-lease'],
        ['describe'],
      ].map((args) => [args.join(' '), args]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl(minor, ...args),
      ]);
      // The node's pods end in their age, which the two may read a second apart.
      expect(age(skiff.out)).toBe(age(kubectl.out));
      expect(skiff.err).toBe(kubectl.err);
      expect(skiff.code).toBe(kubectl.code);
    });
  },
);

// kubectl 1.27 prints the same for these; its pod templates lack the Node-Selectors and
// Tolerations lines 1.28 added, and its services list Endpoints, so skiff follows 1.33 there.
describe.skipIf(kubectlBinary('1.27') === undefined)(
  'skiff describe prints what kubectl 1.27 prints',
  () => {
    it.each(
      [
        ['describe', 'pod', 'web-6d8f7-abcde'],
        ['describe', 'pods', 'web-6d8f'],
        ['describe', 'endpoints', 'web'],
        ['describe', 'node', 'node-a'],
        ['describe', 'namespace', 'default'],
        ['describe', 'events', 'scaled'],
        ['describe', 'pod', 'nope'],
        ['describe', 'pod', 'gone'],
      ].map((args) => [args.join(' '), args]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl('1.27', ...args),
      ]);
      expect(age(skiff.out)).toBe(age(kubectl.out));
      expect(skiff.err).toBe(kubectl.err);
      expect(skiff.code).toBe(kubectl.code);
    });
  },
);

describe("describe's pieces", () => {
  it("aligns columns in Go's column blocks: a line with fewer cells ends only the blocks it lacks", () => {
    const text = 'a\tb\tc\nlonger\tx\nq\tr\ts\nno tabs\nz\tz\n';
    expect(formatColumnBlocks(text, { minWidth: 0, padding: 2 })).toBe(
      'a       b  c\nlonger  x\nq       r  s\nno tabs\nz  z\n',
    );
  });

  it.each([
    ['involvedObject', 'Involved Object'],
    ['apiVersion', 'API Version'],
    ['uid', 'UID'],
    ['firstTimestamp', 'First Timestamp'],
    ['PDFLoader', 'PDF Loader'],
    ['with.dot', 'with.dot'],
  ])('labels field %s as %s', (field, label) => {
    expect(smartLabel(field)).toBe(label);
  });

  it('shows a repeated event as when it was last seen, how often and since when', () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    const e = {
      metadata: {},
      involvedObject: {},
      count: 3,
      firstTimestamp: '2026-01-09T23:50:00Z',
      lastTimestamp: '2026-01-09T23:55:00Z',
    };
    expect(eventInterval(e, now)).toBe('5m (x3 over 10m)');
    expect(eventInterval({ ...e, count: 1 }, now)).toBe('10m');
  });
});
