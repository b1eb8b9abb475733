// The columns `kubectl get` shows for each kind, computed server-side as Kubernetes does (the
// Table is how kubectl prints without knowing the kind). Priority 0 columns always show; 1 only
// with `-o wide`.
import type {
  Deployment,
  Endpoints,
  EndpointSlice,
  Event,
  Lease,
  Node,
  Pod,
  ReplicaSet,
  Secret,
  Service,
  TableColumnDefinition,
} from '@skiff/api';
import { humanDuration, labelSelectorAsSelector } from '@skiff/api';
import { type ApiObject, asKind } from '../../registry/api-object.js';
import { podRow, readinessGatesCell } from './pod-row.js';

export interface Column {
  readonly definition: TableColumnDefinition;
  cell(obj: ApiObject, now: number): unknown;
}

function column(
  name: string,
  cell: (obj: ApiObject, now: number) => unknown,
  options: { type?: string; format?: string; priority?: number; description?: string } = {},
): Column {
  return {
    definition: {
      name,
      type: options.type ?? 'string',
      format: options.format ?? '',
      description: options.description ?? name,
      priority: options.priority ?? 0,
    },
    cell,
  };
}

const nameColumn = column('Name', (o) => o.metadata.name ?? '', {
  format: 'name',
  description: 'Name must be unique within a namespace.',
});

function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

const ageColumn = column('Age', (o, now) => age(o.metadata.creationTimestamp, now), {
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
});

const none = '<none>';

function typed<T>(
  cell: (obj: T, now: number) => unknown,
): (obj: ApiObject, now: number) => unknown {
  return (obj, now) => cell(asKind<T>(obj), now);
}

function containersOf(spec: { containers?: { name: string; image?: string }[] } | undefined): {
  names: string;
  images: string;
} {
  const containers = spec?.containers ?? [];
  return {
    names: containers.map((c) => c.name).join(','),
    images: containers.map((c) => c.image ?? '').join(','),
  };
}

function selectorText(selector: Parameters<typeof labelSelectorAsSelector>[0]): string {
  return labelSelectorAsSelector(selector).toString() || none;
}

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return none;
  return ports
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',');
}

function externalIp(svc: Service): string {
  const type = svc.spec?.type;
  if (type === 'ExternalName') return svc.spec.externalName ?? none;
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '');
  const ips = [...(svc.spec?.externalIPs ?? []), ...ingress].filter((x) => x !== '');
  if (ips.length > 0) return ips.join(',');
  return type === 'LoadBalancer' ? '<pending>' : none;
}

function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const states = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (node.spec?.unschedulable) states.push('SchedulingDisabled');
  return states.join(',');
}

function nodeRoles(node: Node): string {
  const prefix = 'node-role.kubernetes.io/';
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
  return roles.length > 0 ? roles.sort().join(',') : none;
}

function endpointsText(ep: Endpoints): string {
  const all = (ep.subsets ?? []).flatMap((s) =>
    (s.addresses ?? []).flatMap((a) =>
      (s.ports ?? []).length > 0 ? (s.ports ?? []).map((p) => `${a.ip}:${p.port}`) : [a.ip],
    ),
  );
  if (all.length === 0) return none;
  return all.length > 3
    ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...`
    : all.join(',');
}

/** The first three of `items`, then how many more (kubectl's EndpointSlice columns). */
function firstThree(items: readonly string[]): string {
  if (items.length === 0) return '<unset>';
  return items.length > 3
    ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`
    : items.join(',');
}

const endpointSliceColumns: Column[] = [
  nameColumn,
  column(
    'AddressType',
    typed<EndpointSlice>((s) => s.addressType),
  ),
  column(
    'Ports',
    typed<EndpointSlice>((s) =>
      firstThree((s.ports ?? []).map((p) => (p.port === undefined ? '<unset>' : `${p.port}`))),
    ),
  ),
  column(
    'Endpoints',
    typed<EndpointSlice>((s) => firstThree((s.endpoints ?? []).flatMap((e) => e.addresses))),
  ),
  ageColumn,
];

const byKind: Record<string, Column[]> = {
  Pod: [
    nameColumn,
    column(
      'Ready',
      typed<Pod>((p, now) => podRow(p, now).ready),
    ),
    column(
      'Status',
      typed<Pod>((p, now) => podRow(p, now).status),
    ),
    // An integer column whose cells are strings such as "3 (2m ago)", as Kubernetes serves it.
    column(
      'Restarts',
      typed<Pod>((p, now) => podRow(p, now).restarts),
      { type: 'integer' },
    ),
    ageColumn,
    column(
      'IP',
      typed<Pod>((p) => p.status?.podIPs?.[0]?.ip || p.status?.podIP || none),
      { priority: 1 },
    ),
    column(
      'Node',
      typed<Pod>((p) => p.spec?.nodeName || none),
      { priority: 1 },
    ),
    column(
      'Nominated Node',
      typed<Pod>((p) => p.status?.nominatedNodeName || none),
      { priority: 1 },
    ),
    column('Readiness Gates', typed<Pod>(readinessGatesCell), { priority: 1 }),
  ],
  Service: [
    nameColumn,
    column(
      'Type',
      typed<Service>((s) => s.spec?.type ?? 'ClusterIP'),
    ),
    column(
      'Cluster-IP',
      typed<Service>((s) => s.spec?.clusterIP || none),
    ),
    column('External-IP', typed<Service>(externalIp)),
    column('Port(s)', typed<Service>(servicePorts)),
    ageColumn,
    column(
      'Selector',
      typed<Service>(
        (s) => labelSelectorAsSelector({ matchLabels: s.spec?.selector ?? {} }).toString() || none,
      ),
      { priority: 1 },
    ),
  ],
  Deployment: [
    nameColumn,
    column(
      'Ready',
      typed<Deployment>((d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`),
    ),
    column(
      'Up-to-date',
      typed<Deployment>((d) => d.status?.updatedReplicas ?? 0),
      { type: 'integer' },
    ),
    column(
      'Available',
      typed<Deployment>((d) => d.status?.availableReplicas ?? 0),
      { type: 'integer' },
    ),
    ageColumn,
    column(
      'Containers',
      typed<Deployment>((d) => containersOf(d.spec?.template?.spec).names),
      { priority: 1 },
    ),
    column(
      'Images',
      typed<Deployment>((d) => containersOf(d.spec?.template?.spec).images),
      { priority: 1 },
    ),
    column(
      'Selector',
      typed<Deployment>((d) => selectorText(d.spec?.selector)),
      { priority: 1 },
    ),
  ],
  ReplicaSet: [
    nameColumn,
    column(
      'Desired',
      typed<ReplicaSet>((r) => r.spec?.replicas ?? 0),
      { type: 'integer' },
    ),
    column(
      'Current',
      typed<ReplicaSet>((r) => r.status?.replicas ?? 0),
      { type: 'integer' },
    ),
    column(
      'Ready',
      typed<ReplicaSet>((r) => r.status?.readyReplicas ?? 0),
      { type: 'integer' },
    ),
    ageColumn,
    column(
      'Containers',
      typed<ReplicaSet>((r) => containersOf(r.spec?.template?.spec).names),
      { priority: 1 },
    ),
    column(
      'Images',
      typed<ReplicaSet>((r) => containersOf(r.spec?.template?.spec).images),
      { priority: 1 },
    ),
    column(
      'Selector',
      typed<ReplicaSet>((r) => selectorText(r.spec?.selector)),
      { priority: 1 },
    ),
  ],
  Node: [
    nameColumn,
    column('Status', typed<Node>(nodeStatus)),
    column('Roles', typed<Node>(nodeRoles)),
    ageColumn,
    column(
      'Version',
      typed<Node>((n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
    ),
    column(
      'Internal-IP',
      typed<Node>(
        (n) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? none,
      ),
      { priority: 1 },
    ),
    column(
      'OS-Image',
      typed<Node>((n) => n.status?.nodeInfo?.osImage ?? ''),
      { priority: 1 },
    ),
    column(
      'Kernel-Version',
      typed<Node>((n) => n.status?.nodeInfo?.kernelVersion ?? ''),
      { priority: 1 },
    ),
    column(
      'Container-Runtime',
      typed<Node>((n) => n.status?.nodeInfo?.containerRuntimeVersion ?? ''),
      { priority: 1 },
    ),
  ],
  Namespace: [
    nameColumn,
    column('Status', (o) => asKind<{ status?: { phase?: string } }>(o).status?.phase ?? ''),
    ageColumn,
  ],
  Endpoints: [nameColumn, column('Endpoints', typed<Endpoints>(endpointsText)), ageColumn],
  EndpointSlice: endpointSliceColumns,
  Event: [
    column(
      'Last Seen',
      typed<Event>((e, now) =>
        age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now),
      ),
    ),
    column(
      'Type',
      typed<Event>((e) => e.type ?? ''),
    ),
    column(
      'Reason',
      typed<Event>((e) => e.reason ?? ''),
    ),
    column(
      'Object',
      typed<Event>(
        (e) => `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      ),
    ),
    column(
      'Message',
      typed<Event>((e) => (e.message ?? '').trim()),
    ),
    { ...nameColumn, definition: { ...nameColumn.definition, priority: 1 } },
  ],
  ConfigMap: [
    nameColumn,
    column(
      'Data',
      (o) => {
        const cm = asKind<{ data?: object; binaryData?: object }>(o);
        return Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
      },
      { type: 'integer' },
    ),
    ageColumn,
  ],
  Secret: [
    nameColumn,
    column(
      'Type',
      typed<Secret>((s) => s.type ?? ''),
    ),
    column(
      'Data',
      typed<Secret>((s) => Object.keys(s.data ?? {}).length),
      { type: 'integer' },
    ),
    ageColumn,
  ],
  Lease: [
    nameColumn,
    column(
      'Holder',
      typed<Lease>((l) => l.spec?.holderIdentity ?? ''),
    ),
    ageColumn,
  ],
};

export function columnsFor(kind: string): Column[] {
  return byKind[kind] ?? [nameColumn, ageColumn];
}
