// kubectl describe pod, and the pod template section of the workload describers.
import {
  ResourceQuantity,
  type Container,
  type Event,
  type Pod,
  type PodTemplateSpec,
  type TopologySpreadConstraint,
} from '@skiff/api';
import { describeContainers, describeVolumes, podFieldResolver } from './containers.js';
import { describeEvents } from './events.js';
import {
  byBytes,
  controllerOf,
  formatLabelSelector,
  printAnnotations,
  printLabels,
  printTolerations,
  rfc1123z,
  since,
} from './fields.js';
import { tabbed, type DescribeWriter } from './writer.js';

export function describePod(pod: Pod, events: readonly Event[] | undefined, now: number): string {
  return tabbed((w) => {
    const { metadata: meta, spec, status = {} } = pod;
    w.write(0, `Name:\t${meta.name ?? ''}\n`);
    w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
    if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(
      0,
      spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n',
    );
    if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabels(w, 'Labels', meta.labels);
    printAnnotations(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
      w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(0, `Message:\t${status.message}\n`);
    const seccomp = spec.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(0, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost')
        w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(0, `IP:\t${status.podIP ?? ''}\n`);
    if ((status.podIPs ?? []).length === 0) w.write(0, 'IPs:\t<none>\n');
    else {
      w.write(0, 'IPs:\n');
      for (const ip of status.podIPs ?? []) w.write(1, `IP:\t${ip.ip}\n`);
    }
    const controller = controllerOf(meta);
    if (controller) w.write(0, `Controlled By:\t${controller}\n`);
    if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    const resolve = podFieldResolver(pod);
    if ((spec.initContainers ?? []).length > 0)
      describeContainers(
        w,
        'Init Containers',
        spec.initContainers ?? [],
        status.initContainerStatuses,
        resolve,
        '',
      );
    describeContainers(w, 'Containers', spec.containers, status.containerStatuses, resolve, '');
    if ((spec.readinessGates ?? []).length > 0) {
      w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const gate of spec.readinessGates ?? []) {
        const c = status.conditions?.find((c) => c.type === gate.conditionType);
        w.write(1, `${gate.conditionType} \t${c?.status ?? '<none>'} \n`);
      }
    }
    if ((status.conditions ?? []).length > 0) {
      w.write(0, 'Conditions:\n  Type\tStatus\n');
      for (const c of status.conditions ?? []) w.write(1, `${c.type} \t${c.status} \n`);
    }
    describeVolumes(w, spec.volumes ?? [], '');
    w.write(0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabels(w, 'Node-Selectors', spec.nodeSelector);
    printTolerations(w, 'Tolerations', spec.tolerations);
    describeTopologySpread(w, spec.topologySpreadConstraints, '');
    if (events) describeEvents(w, events, now);
  });
}

/** DescribePodTemplate: what a ReplicaSet or Deployment makes its pods from. */
export function describePodTemplate(w: DescribeWriter, template: PodTemplateSpec): void {
  const meta = template.metadata ?? {};
  const spec = template.spec;
  w.write(0, 'Pod Template:\n');
  printLabels(w, 'Labels', meta.labels, '  ');
  if (Object.keys(meta.annotations ?? {}).length > 0) {
    w.write(0, '  ');
    printAnnotations(w, 'Annotations', meta.annotations);
  }
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0)
    describeContainers(w, 'Init Containers', spec.initContainers ?? [], undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, undefined, '  ');
  describeVolumes(w, spec.volumes ?? [], '  ');
  describeTopologySpread(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabels(w, 'Node-Selectors', spec.nodeSelector, '  ');
  printTolerations(w, 'Tolerations', spec.tolerations, '  ');
}

function describeTopologySpread(
  w: DescribeWriter,
  constraints: readonly TopologySpreadConstraint[] | undefined,
  space: string,
): void {
  if (!constraints || constraints.length === 0) return;
  const sorted = [...constraints].sort((a, b) => byBytes(a.topologyKey, b.topologyKey));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    let text = `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded`;
    if (c.labelSelector) text += ` for selector ${formatLabelSelector(c.labelSelector)}`;
    w.write(0, `${text}\n`);
  });
}

const qosResources = ['cpu', 'memory'];

/** The QoS class the kubelet gives the pod: status.qosClass, else computed from its containers. */
export function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests = new Map<string, ResourceQuantity>();
  const limits = new Map<string, ResourceQuantity>();
  let guaranteed = true;
  const all: Container[] = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  for (const c of all) {
    for (const [name, q] of Object.entries(c.resources?.requests ?? {})) {
      const quantity = ResourceQuantity.parse(q);
      if (qosResources.includes(name) && quantity.sign() > 0)
        requests.set(name, (requests.get(name) ?? ResourceQuantity.zero).add(quantity));
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(c.resources?.limits ?? {})) {
      const quantity = ResourceQuantity.parse(q);
      if (qosResources.includes(name) && quantity.sign() > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? ResourceQuantity.zero).add(quantity));
      }
    }
    if (!qosResources.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const limit = limits.get(name);
      if (!limit || limit.cmp(req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
