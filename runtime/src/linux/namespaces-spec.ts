// Which namespaces a process gets. A pod is a set of shared namespaces: the sandbox's pause
// process creates the pod's IPC and UTS namespaces (and PID, when the pod shares one) and sits
// in the network namespace the pod network made; each container joins those by path and gets
// a PID and mount namespace of its own. NODE mode means "stay in the host's": no entry at all.
import type { NamespaceModeName } from './cri-values.js';
import type { OciNamespace, OciNamespaceType } from './oci-spec.js';

/** New namespace, the host's, or an existing one joined through its file. */
export type NamespaceChoice = 'new' | 'host' | { readonly path: string };

export type NamespacePlan = Readonly<
  Record<'pid' | 'network' | 'ipc' | 'uts' | 'mount', NamespaceChoice>
>;

export interface PodNamespaceModes {
  readonly network: NamespaceModeName;
  readonly pid: NamespaceModeName;
  readonly ipc: NamespaceModeName;
}

/** The pause process's namespaces. `netnsPath` is undefined for hostNetwork pods. */
export function pauseNamespaces(
  modes: PodNamespaceModes,
  netnsPath: string | undefined,
): NamespacePlan {
  const hostNetwork = modes.network === 'NODE';
  if (!hostNetwork && netnsPath === undefined) {
    throw new Error('a pod without hostNetwork needs the network namespace of the pod network');
  }
  return {
    network: hostNetwork || netnsPath === undefined ? 'host' : { path: netnsPath },
    pid: modes.pid === 'NODE' ? 'host' : 'new',
    ipc: modes.ipc === 'NODE' ? 'host' : 'new',
    // A hostNetwork pod sees the node's hostname, as in Kubernetes.
    uts: hostNetwork ? 'host' : 'new',
    mount: 'new',
  };
}

/**
 * A container's namespaces, joining the pause process's (`/proc/<pausePid>/ns/*`). PID is shared
 * only in POD mode (shareProcessNamespace); CONTAINER gives the container its own, TARGET the one
 * of another container (`targetPid`, its init process: how ephemeral debug containers see the
 * processes of the container they debug).
 */
export function containerNamespaces(
  modes: PodNamespaceModes,
  netnsPath: string | undefined,
  pausePid: number,
  targetPid?: number,
): NamespacePlan {
  const pause = (type: string): NamespaceChoice => ({ path: `/proc/${pausePid}/ns/${type}` });
  const hostNetwork = modes.network === 'NODE';
  return {
    network: hostNetwork || netnsPath === undefined ? 'host' : { path: netnsPath },
    pid: pidNamespace(modes.pid, pause('pid'), targetPid),
    ipc: modes.ipc === 'NODE' ? 'host' : pause('ipc'),
    uts: hostNetwork ? 'host' : pause('uts'),
    mount: 'new',
  };
}

function pidNamespace(
  mode: PodNamespaceModes['pid'],
  pods: NamespaceChoice,
  targetPid: number | undefined,
): NamespaceChoice {
  switch (mode) {
    case 'NODE':
      return 'host';
    case 'POD':
      return pods;
    case 'TARGET':
      if (targetPid === undefined) throw new Error('PID namespace mode TARGET needs a target');
      return { path: `/proc/${targetPid}/ns/pid` };
    default:
      return 'new';
  }
}

export function ociNamespaces(plan: NamespacePlan): OciNamespace[] {
  const order: OciNamespaceType[] = ['pid', 'network', 'ipc', 'uts', 'mount'];
  const result: OciNamespace[] = [];
  for (const type of order) {
    const choice = plan[type as keyof NamespacePlan];
    if (choice === 'host') continue;
    result.push(choice === 'new' ? { type } : { type, path: choice.path });
  }
  return result;
}

/** Whether the process gets a UTS namespace of its own, the only case where it may set a hostname. */
export function ownsUts(plan: NamespacePlan): boolean {
  return plan.uts === 'new';
}
