// Which namespaces a process gets. A pod is a set of shared namespaces: its IPC and UTS
// namespaces are either pinned to files (./namespace-pins.ts) or, when the pod shares one PID
// namespace, made and held by the sandbox's pause process, which also sits in the network
// namespace the pod network made; each container joins those by path and gets a PID and mount
// namespace of its own. NODE mode means "stay in the host's": no entry at all.
import type { NamespaceModeName } from './cri-values.js';
import type { PinnedNamespaces } from './namespace-pins.js';
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

/** Who holds a pod's shared namespaces: its pause process, or the files they are pinned to. */
export type PodNamespaceHolder =
  { readonly pausePid: number } | { readonly pinned: PinnedNamespaces };

/**
 * Whether a pod's sandbox needs a pause process: only to be the init of the PID namespace its
 * containers share (shareProcessNamespace). Its other namespaces can be pinned.
 */
export function needsPauseProcess(modes: PodNamespaceModes): boolean {
  return modes.pid === 'POD';
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
 * A container's namespaces, joining the pod's (`/proc/<pausePid>/ns/*`, or the pins). PID is shared
 * only in POD mode (shareProcessNamespace); CONTAINER gives the container its own, TARGET the one
 * of another container (`targetPid`, its init process: how ephemeral debug containers see the
 * processes of the container they debug).
 */
export function containerNamespaces(
  modes: PodNamespaceModes,
  netnsPath: string | undefined,
  holder: PodNamespaceHolder,
  targetPid?: number,
): NamespacePlan {
  const pause = (type: 'pid' | 'ipc' | 'uts'): NamespaceChoice => podNamespace(holder, type);
  const hostNetwork = modes.network === 'NODE';
  return {
    network: hostNetwork || netnsPath === undefined ? 'host' : { path: netnsPath },
    pid: pidNamespace(modes.pid, () => pause('pid'), targetPid),
    ipc: modes.ipc === 'NODE' ? 'host' : pause('ipc'),
    uts: hostNetwork ? 'host' : pause('uts'),
    mount: 'new',
  };
}

function podNamespace(holder: PodNamespaceHolder, type: 'pid' | 'ipc' | 'uts'): NamespaceChoice {
  if ('pausePid' in holder) return { path: `/proc/${holder.pausePid}/ns/${type}` };
  const path = type === 'pid' ? undefined : holder.pinned[type];
  // The sandbox pins what its modes give the pod; a mode it did not pin is a bug, not the host's.
  if (path === undefined) throw new Error(`the pod has no ${type} namespace of its own pinned`);
  return { path };
}

function pidNamespace(
  mode: PodNamespaceModes['pid'],
  pods: () => NamespaceChoice,
  targetPid: number | undefined,
): NamespaceChoice {
  switch (mode) {
    case 'NODE':
      return 'host';
    case 'POD':
      return pods();
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
