// What skiff remembers about a pod sandbox, in `<root>/sandboxes/<id>/state.json`. The pod's
// pinned namespaces live beside it in `ns/` (or, for a pod sharing its PID namespace, the pause
// container's bundle in `pause/`), the pod's shared files (hosts, hostname, resolv.conf, shm)
// directly in the sandbox's directory.
import type { PinnedNamespaces, PodNamespaceModes } from '../linux/index.js';

export type SandboxPhase = 'ready' | 'notready';

export interface SandboxRecord {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly attempt: number;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly hostname: string;
  readonly logDirectory: string;
  readonly runtimeHandler: string;
  readonly modes: PodNamespaceModes;
  /** cgroupfs path under which the pod's containers get their cgroups. */
  readonly cgroupParent: string;
  /** True when skiff chose the parent (and so removes it); the kubelet's parents are its own. */
  readonly ownsCgroupParent: boolean;
  readonly createdAtNs: string;
  phase: SandboxPhase;
  ip: string;
  netnsPath?: string;
  /** The pause process; 0 when the pod's namespaces are pinned instead. */
  pausePid: number;
  /** Set when the pod has no pause process: where its IPC and UTS namespaces are pinned. */
  pinnedNamespaces?: PinnedNamespaces;
}
