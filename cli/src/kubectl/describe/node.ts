// kubectl describe node: roles, taints, lease, conditions, addresses, capacity, system info,
// the pods on it that have not terminated with what they request, and the node's events (found
// twice: the controllers name the node by its UID, the kubelet by its name).
import {
  ResourceQuantity,
  type Container,
  type Event,
  type Lease,
  type Node,
  type Pod,
} from '@skiff/api';
import { core, typed, type Describer } from './context.js';
import { quantityText } from './containers.js';
import { describeEvents, searchEvents } from './events.js';
import { byBytes, printAnnotations, printLabels, printTaints, rfc1123z, since } from './fields.js';
import { tabbed, type DescribeWriter } from './writer.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export const describeNode: Describer = async (ctx, _namespace, name) => {
  const node = await typed<Node>(ctx, core('nodes'), '').get(name);
  const pods = await typed<Pod>(ctx, core('pods'), '').list({
    fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`,
  });
  const lease = await typed<Lease>(ctx, LEASES, 'kube-node-lease')
    .get(name)
    .then(
      (l) => ({ lease: l }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    );
  let events: Event[] | undefined;
  if (ctx.showEvents) {
    const ref = { name, namespace: '', kind: 'Node' };
    events = [
      ...(await searchEvents(ctx.conn, { ...ref, uid: node.metadata.uid })),
      ...(await searchEvents(ctx.conn, { ...ref, uid: name })),
    ];
  }
  return tabbed((w) => {
    const { metadata: meta, spec = {}, status = {} } = node;
    w.write(0, `Name:\t${meta.name ?? ''}\n`);
    const roles = nodeRoles(meta.labels ?? {});
    w.write(0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printLabels(w, 'Labels', meta.labels);
    printAnnotations(w, 'Annotations', meta.annotations);
    w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
    printTaints(w, 'Taints', spec.taints);
    w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
    if ('lease' in lease) {
      w.write(0, 'Lease:\n');
      w.write(1, `HolderIdentity:\t${lease.lease.spec?.holderIdentity ?? '<unset>'}\n`);
      const acquire = lease.lease.spec?.acquireTime;
      const renew = lease.lease.spec?.renewTime;
      w.write(1, `AcquireTime:\t${acquire ? rfc1123z(acquire) : '<unset>'}\n`);
      w.write(1, `RenewTime:\t${renew ? rfc1123z(renew) : '<unset>'}\n`);
    } else {
      w.write(0, `Lease:\tFailed to get lease: ${lease.error}\n`);
    }
    if ((status.conditions ?? []).length > 0) {
      w.write(
        0,
        'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n',
      );
      w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of status.conditions ?? []) {
        w.write(
          1,
          `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
        );
      }
    }
    w.write(0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
    for (const [title, list] of [
      ['Capacity', status.capacity],
      ['Allocatable', status.allocatable],
    ] as const) {
      const names = Object.keys(list ?? {}).sort(byBytes);
      if (names.length === 0) continue;
      w.write(0, `${title}:\n`);
      for (const n of names) w.write(0, `  ${n}:\t${quantityText(list?.[n])}\n`);
    }
    const info = status.nodeInfo;
    w.write(0, 'System Info:\n');
    for (const [label, value] of [
      ['Machine ID', info?.machineID],
      ['System UUID', info?.systemUUID],
      ['Boot ID', info?.bootID],
      ['Kernel Version', info?.kernelVersion],
      ['OS Image', info?.osImage],
      ['Operating System', info?.operatingSystem],
      ['Architecture', info?.architecture],
      ['Container Runtime Version', info?.containerRuntimeVersion],
      ['Kubelet Version', info?.kubeletVersion],
      ['Kube-Proxy Version', info?.kubeProxyVersion],
    ] as const)
      w.write(0, `  ${label}:\t${value ?? ''}\n`);
    if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
    if ((spec.podCIDRs ?? []).length > 0)
      w.write(0, `PodCIDRs:\t${(spec.podCIDRs ?? []).join(',')}\n`);
    if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
    describeNodeResources(w, pods.items, node, ctx.now);
    if (events) describeEvents(w, events, ctx.now);
  });
};

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values. */
function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort(byBytes);
}

type Totals = Map<string, ResourceQuantity>;

function describeNodeResources(w: DescribeWriter, pods: readonly Pod[], node: Node, now: number) {
  const allocatable =
    Object.keys(node.status?.allocatable ?? {}).length > 0
      ? (node.status?.allocatable ?? {})
      : (node.status?.capacity ?? {});
  const alloc = (name: string) => ResourceQuantity.parse(allocatable[name] ?? 0);
  const cpu = alloc('cpu').milliValue();
  const memory = alloc('memory').value();
  const percent = (part: number, whole: number) => Math.trunc((part / whole) * 100);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const requests: Totals = new Map();
  const limits: Totals = new Map();
  for (const pod of pods) {
    const [req, lim] = [podTotals(pod, 'requests'), podTotals(pod, 'limits')];
    addInto(requests, req);
    addInto(limits, lim);
    const q = (m: Totals, n: string) => m.get(n) ?? ResourceQuantity.zero;
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name ?? ''}\t\t${q(req, 'cpu').toString()} (${percent(q(req, 'cpu').milliValue(), cpu)}%)\t${q(lim, 'cpu').toString()} (${percent(q(lim, 'cpu').milliValue(), cpu)}%)\t${q(req, 'memory').toString()} (${percent(q(req, 'memory').value(), memory)}%)\t${q(lim, 'memory').toString()} (${percent(q(lim, 'memory').value(), memory)}%)\t${since(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(
    0,
    'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n',
  );
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const safePercent = (part: number, whole: number) => (whole === 0 ? 0 : percent(part, whole));
  for (const [name, value] of [
    ['cpu', (q: ResourceQuantity) => q.milliValue()],
    ['memory', (q: ResourceQuantity) => q.value()],
    ['ephemeral-storage', (q: ResourceQuantity) => q.value()],
  ] as const) {
    const whole = value(alloc(name));
    const r = requests.get(name) ?? ResourceQuantity.zero;
    const l = limits.get(name) ?? ResourceQuantity.zero;
    w.write(
      1,
      `${name}\t${r.toString()} (${safePercent(value(r), whole)}%)\t${l.toString()} (${safePercent(value(l), whole)}%)\n`,
    );
  }
  const hugePages = Object.keys(allocatable)
    .filter((n) => n.startsWith('hugepages-'))
    .sort(byBytes);
  for (const name of hugePages) {
    const whole = alloc(name).value();
    const r = requests.get(name) ?? ResourceQuantity.zero;
    const l = limits.get(name) ?? ResourceQuantity.zero;
    w.write(
      1,
      `${name}\t${r.toString()} (${safePercent(r.value(), whole)}%)\t${l.toString()} (${safePercent(l.value(), whole)}%)\n`,
    );
  }
  const standard = ['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods'];
  const extended = Object.keys(allocatable)
    .filter(
      (n) =>
        !standard.includes(n) &&
        !n.startsWith('hugepages-') &&
        !n.startsWith('requests.') &&
        !n.startsWith('limits.'),
    )
    .sort(byBytes);
  for (const name of extended) {
    const r = requests.get(name) ?? ResourceQuantity.zero;
    const l = limits.get(name) ?? ResourceQuantity.zero;
    w.write(1, `${name}\t${r.toString()}\t${l.toString()}\n`);
  }
}

/**
 * What a pod asks for (kubectl's resource helper): its containers summed, raised to what any
 * init container needs alone (sidecars, which keep running, count towards both), plus overhead.
 */
function podTotals(pod: Pod, which: 'requests' | 'limits'): Totals {
  const of = (c: Container): Totals =>
    new Map(
      Object.entries(c.resources?.[which] ?? {}).map(([k, v]) => [k, ResourceQuantity.parse(v)]),
    );
  const total: Totals = new Map();
  for (const c of pod.spec.containers) addInto(total, of(c));
  const sidecars: Totals = new Map();
  const initMax: Totals = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addInto(total, of(c));
      addInto(sidecars, of(c));
      continue;
    }
    const need: Totals = new Map(of(c));
    addInto(need, sidecars);
    maxInto(initMax, need);
  }
  maxInto(total, initMax);
  if (pod.spec.overhead) {
    const overhead = new Map(
      Object.entries(pod.spec.overhead).map(([k, v]) => [k, ResourceQuantity.parse(v)]),
    );
    addInto(total, overhead);
  }
  return total;
}

function addInto(into: Totals, from: Totals): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? ResourceQuantity.zero).add(v));
}

function maxInto(into: Totals, from: Totals): void {
  for (const [k, v] of from) {
    const have = into.get(k);
    if (!have || v.cmp(have) > 0) into.set(k, v);
  }
}
