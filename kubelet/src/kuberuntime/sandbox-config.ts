// The CRI PodSandboxConfig of a pod (Kubernetes' generatePodSandboxConfig): its identity and
// attempt, hostname, DNS, host port mappings, labels and the Linux namespaces it shares with the
// node. Pure: the executor passes it to RunPodSandbox and again to every CreateContainer.
import { join } from 'node:path';
import type { Pod } from '@skiff/api';
import type { NamespaceOption, PodSandboxConfig, PortMapping } from '@skiff/proto';
import { sandboxLabels, type PodRef } from '../container/index.js';
import { podDnsConfig, type ClusterDns } from './dns.js';

export interface SandboxConfigOptions {
  readonly dns: ClusterDns;
  /** Where pod logs live: `<dir>/<namespace>_<name>_<uid>/` (Kubernetes: /var/log/pods). */
  readonly podLogsDirectory: string;
}

export function podRefOfPod(pod: Readonly<Pod>): PodRef {
  return {
    uid: pod.metadata.uid ?? '',
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? 'default',
  };
}

export function podLogDirectory(pod: Readonly<Pod>, podLogsDirectory: string): string {
  const { uid, name, namespace } = podRefOfPod(pod);
  return join(podLogsDirectory, `${namespace}_${name}_${uid}`);
}

/** The pod's hostname: spec.hostname, else its name, cut to a DNS label's 63 characters. */
export function podHostname(pod: Readonly<Pod>): string {
  const name = pod.spec.hostname ?? pod.metadata.name ?? '';
  return name.slice(0, 63).replace(/[-.]+$/, '');
}

export function namespaceOptions(pod: Readonly<Pod>): NamespaceOption {
  const { hostNetwork, hostPID, hostIPC, shareProcessNamespace } = pod.spec;
  return {
    network: hostNetwork === true ? 'NODE' : 'POD',
    pid: hostPID === true ? 'NODE' : shareProcessNamespace === true ? 'POD' : 'CONTAINER',
    ipc: hostIPC === true ? 'NODE' : 'POD',
  };
}

/** Ports of every container that ask to be bound on the node (hostPort). */
export function portMappings(pod: Readonly<Pod>): PortMapping[] {
  return pod.spec.containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => (p.hostPort ?? 0) > 0)
      .map((p) => ({
        protocol: p.protocol ?? 'TCP',
        container_port: p.containerPort,
        host_port: p.hostPort ?? 0,
        host_ip: p.hostIP ?? '',
      })),
  );
}

export function generatePodSandboxConfig(
  pod: Readonly<Pod>,
  attempt: number,
  options: SandboxConfigOptions,
): PodSandboxConfig {
  const ref = podRefOfPod(pod);
  const security = pod.spec.securityContext;
  const privileged = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].some(
    (c) => c.securityContext?.privileged === true,
  );
  return {
    metadata: { name: ref.name, namespace: ref.namespace, uid: ref.uid, attempt },
    // A host-network pod shares the node's UTS namespace, so its hostname is the node's.
    hostname: pod.spec.hostNetwork === true ? '' : podHostname(pod),
    log_directory: podLogDirectory(pod, options.podLogsDirectory),
    dns_config: podDnsConfig(pod, options.dns),
    port_mappings: portMappings(pod),
    labels: { ...pod.metadata.labels, ...sandboxLabels(ref) },
    annotations: { ...pod.metadata.annotations },
    linux: {
      cgroup_parent: '',
      sysctls: Object.fromEntries((security?.sysctls ?? []).map((s) => [s.name, s.value])),
      security_context: {
        namespace_options: namespaceOptions(pod),
        privileged,
        ...(security?.runAsUser !== undefined && { run_as_user: { value: security.runAsUser } }),
        ...(security?.runAsGroup !== undefined && { run_as_group: { value: security.runAsGroup } }),
        supplemental_groups: [
          ...(security?.supplementalGroups ?? []),
          ...(security?.fsGroup !== undefined ? [security.fsGroup] : []),
        ],
      },
    },
  };
}
