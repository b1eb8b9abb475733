// Test fixtures: real manifests, as kubectl sends them (YAML converted to JSON).
import { readFileSync } from 'node:fs';

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string };

/** Reads testdata/<name>.json; T lets a test name the kind it knows the file holds. */
export function loadManifest<T = Manifest>(name: 'deployment' | 'service' | 'pod' | 'crd'): T {
  const url = new URL(`./${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** One small, valid object of every other kind. */
export const smallManifests: Manifest[] = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config' },
    data: { greeting: 'hello', 'nginx.conf': 'server {}' },
    binaryData: { 'logo.png': 'iVBORw0KGgo=' },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web-secret' },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==' },
    stringData: { user: 'admin' },
  },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'dedicated', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2024-05-01T12:00:00Z',
          reason: 'KubeletReady',
        },
      ],
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web' },
    subsets: [
      {
        addresses: [
          { ip: '10.244.1.7', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1' } },
        ],
        ports: [{ name: 'http', port: 80 }],
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17c2', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web-1 to node-1',
    source: { component: 'default-scheduler' },
    type: 'Normal',
    count: 1,
    eventTime: '2024-05-01T12:00:00.123456Z',
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d8f' },
    spec: {
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: {
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: '2024-05-01T12:00:00.000000Z',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'web-1' },
    target: { kind: 'Node', name: 'node-1' },
  },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 5 } },
];
