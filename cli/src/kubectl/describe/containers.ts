// The Containers and Volumes sections kubectl describe prints for a pod and for a pod template
// (ReplicaSet, Deployment): per container its image, ports, command, state, resources, probes,
// environment and mounts; per volume its source. `space` is the template's extra indent.
import {
  ResourceQuantity,
  type Container,
  type ContainerState,
  type ContainerStatus,
  type EnvVar,
  type Pod,
  type Probe,
  type ResourceRequirements,
  type Volume,
} from '@skiff/api';
import { byBytes, rfc1123z, stringOrNone } from './fields.js';
import type { DescribeWriter, Level } from './writer.js';

/** Resolves a fieldRef env var against the pod; templates have no pod to resolve against. */
export type EnvResolver = (e: EnvVar) => string;

export function describeContainers(
  w: DescribeWriter,
  label: string,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  resolve: EnvResolver | undefined,
  space: string,
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    basicInfo(w, c, status, space);
    command(w, c);
    if (status) containerState(w, status);
    describeResources(w, c.resources, 2);
    probes(w, c);
    if ((c.envFrom ?? []).length > 0) envFrom(w, c);
    env(w, c, resolve);
    mounts(w, c);
  }
}

function basicInfo(
  w: DescribeWriter,
  c: Container,
  status: ContainerStatus | undefined,
  space: string,
): void {
  w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ');
  w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${stringOrNone(ports)}\n`);
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
  w.write(
    2,
    hostPorts.includes(',')
      ? `Host Ports:\t${hostPorts}\n`
      : `Host Port:\t${stringOrNone(hostPorts)}\n`,
  );
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost')
      w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function command(w: DescribeWriter, c: Container): void {
  for (const [title, words] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!words || words.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const word of words) for (const line of word.split('\n')) w.write(3, `${line}\n`);
  }
}

function containerState(w: DescribeWriter, s: ContainerStatus): void {
  describeState(w, 'State', s.state);
  if (s.lastState?.terminated) describeState(w, 'Last State', s.lastState);
  w.write(2, `Ready:\t${s.ready ? 'True' : 'False'}\n`);
  w.write(2, `Restart Count:\t${s.restartCount ?? 0}\n`);
}

function describeState(w: DescribeWriter, name: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal ?? 0}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

/** A quantity as Go's Quantity.String() prints it (canonical). */
export function quantityText(q: string | number | undefined): string {
  return q === undefined ? '0' : ResourceQuantity.parse(q).toString();
}

export function describeResources(
  w: DescribeWriter,
  resources: ResourceRequirements | undefined,
  level: Level,
): void {
  if (!resources) return;
  const inner = (level + 1) as Level;
  for (const [title, list] of [
    ['Limits', resources.limits],
    ['Requests', resources.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort(byBytes);
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(inner, `${name}:\t${quantityText(list?.[name])}\n`);
  }
}

function probes(w: DescribeWriter, c: Container): void {
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

/** kubectl's DescribeProbe: the handler then its timings. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = String(g.port);
    const host = port ? joinHostPort(g.host ?? '', port) : (g.host ?? '');
    const scheme = (g.scheme ?? '').toLowerCase();
    return `http-get ${scheme ? `${scheme}:` : ''}//${host}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket)
    return `tcp-socket ${p.tcpSocket.host ?? ''}:${String(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function envFrom(w: DescribeWriter, c: Container): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const [from, ref] = e.configMapRef
      ? ['ConfigMap', e.configMapRef]
      : e.secretRef
        ? ['Secret', e.secretRef]
        : ['', undefined];
    const optional = ref?.optional === true;
    const what = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
    w.write(3, `${ref?.name ?? ''}\t${what}\tOptional: ${optional}\n`);
  }
}

function env(w: DescribeWriter, c: Container, resolve: EnvResolver | undefined): void {
  const vars = c.env ?? [];
  w.write(2, `Environment:${vars.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of vars) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((line, i) => {
        w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`);
      });
    } else if (from.fieldRef) {
      const value = resolve ? resolve(e) : '';
      w.write(
        3,
        `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`,
      );
    } else if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource;
      let value = containerResourceValue(c, resource, from.resourceFieldRef.divisor);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory'))
        value = 'node allocatable';
      w.write(3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const s = from.secretKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${s.key}' in secret '${s.name ?? ''}'>\tOptional: ${s.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      const m = from.configMapKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${m.key}' of config map '${m.name ?? ''}'>\tOptional: ${m.optional === true}\n`,
      );
    }
  }
}

/** A container's own request or limit in units of the divisor, rounded up (as the kubelet does). */
function containerResourceValue(
  c: Container,
  resource: string,
  divisor: string | number | undefined,
): string {
  const [kind, name] = resource.split('.');
  const list = kind === 'limits' ? c.resources?.limits : c.resources?.requests;
  const quantity = name === undefined ? undefined : list?.[name];
  if (quantity === undefined) return '0';
  const by = ResourceQuantity.parse(divisor ?? '1');
  if (name === 'cpu') {
    return String(Math.ceil(ResourceQuantity.parse(quantity).milliValue() / by.milliValue()));
  }
  return String(Math.ceil(ResourceQuantity.parse(quantity).value() / by.value()));
}

function mounts(w: DescribeWriter, c: Container): void {
  const list = [...(c.volumeMounts ?? [])].sort((a, b) => byBytes(a.mountPath, b.mountPath));
  w.write(2, `Mounts:${list.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of list) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

export function describeVolumes(
  w: DescribeWriter,
  volumes: readonly Volume[],
  space: string,
): void {
  if (volumes.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    volumeSource(w, v);
  }
}

function volumeSource(w: DescribeWriter, v: Volume): void {
  if (v.hostPath) {
    w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
    w.write(2, `Path:\t${v.hostPath.path}\n`);
    w.write(2, `HostPathType:\t${v.hostPath.type ?? '<none>'}\n`);
  } else if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit;
    const size =
      limit !== undefined && ResourceQuantity.parse(limit).sign() > 0
        ? quantityText(limit)
        : '<unset>';
    w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
    w.write(2, `Medium:\t${v.emptyDir.medium ?? ''}\n`);
    w.write(2, `SizeLimit:\t${size}\n`);
  } else if (v.secret) {
    w.write(2, 'Type:\tSecret (a volume populated by a Secret)\n');
    w.write(2, `SecretName:\t${v.secret.secretName ?? ''}\n`);
    w.write(2, `Optional:\t${v.secret.optional === true}\n`);
  } else if (v.configMap) {
    w.write(2, 'Type:\tConfigMap (a volume populated by a ConfigMap)\n');
    w.write(2, `Name:\t${v.configMap.name ?? ''}\n`);
    w.write(2, `Optional:\t${v.configMap.optional === true}\n`);
  } else if (v.persistentVolumeClaim) {
    w.write(
      2,
      'Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n',
    );
    w.write(2, `ClaimName:\t${v.persistentVolumeClaim.claimName}\n`);
    w.write(2, `ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
  } else if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
    w.write(2, 'Items:\n');
    for (const item of v.downwardAPI.items ?? []) {
      if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
      if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
    }
  } else if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of v.projected.sources ?? []) {
      if (s.secret) {
        w.write(2, `SecretName:\t${s.secret.name ?? ''}\n`);
        w.write(2, `Optional:\t${s.secret.optional === true}\n`);
      } else if (s.downwardAPI) {
        w.write(2, 'DownwardAPI:\ttrue\n');
      } else if (s.configMap) {
        w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n`);
        w.write(2, `Optional:\t${s.configMap.optional === true}\n`);
      } else if (s.serviceAccountToken) {
        w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
      }
    }
  } else {
    w.write(1, '<unknown>\n');
  }
}

/** kubectl's EnvValueRetriever: a fieldRef's value read from the pod. */
export function podFieldResolver(pod: Pod): EnvResolver {
  return (e) => {
    const path = e.valueFrom?.fieldRef?.fieldPath ?? '';
    const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    if (keyed) {
      const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
      return map?.[keyed[2] ?? ''] ?? '';
    }
    const fields: Record<string, string | undefined> = {
      'metadata.name': pod.metadata.name,
      'metadata.namespace': pod.metadata.namespace,
      'metadata.uid': pod.metadata.uid,
      'spec.nodeName': pod.spec.nodeName,
      'spec.serviceAccountName': pod.spec.serviceAccountName,
      'status.hostIP': pod.status?.hostIP,
      'status.podIP': pod.status?.podIP,
      'status.podIPs': pod.status?.podIPs?.map((p) => p.ip).join(','),
    };
    return fields[path] ?? '';
  };
}
