// Which sysctls a pod may set: only those the kernel keeps per namespace, and only in namespaces
// the pod has of its own. Anything else would change the node for every process on it; runc
// refuses it at container start, and this check says so before anything of the pod is made.
// The namespaced sets are the kernel's (and runc's and the kubelet's lists of them).
import type { PodNamespaceModes } from './namespaces-spec.js';

const ipcSysctls = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

type Namespace = 'ipc' | 'network' | 'uts';

/** The namespace a sysctl belongs to, or undefined when it is the whole node's. */
export function sysctlNamespace(name: string): Namespace | undefined {
  if (ipcSysctls.has(name) || name.startsWith('fs.mqueue.')) return 'ipc';
  if (name.startsWith('net.')) return 'network';
  // kernel.hostname is the pod's hostname field, not a sysctl to set beside it.
  if (name === 'kernel.domainname') return 'uts';
  return undefined;
}

/** Throws, naming the first offender, unless every sysctl can be set in the pod's namespaces. */
export function checkPodSysctls(
  sysctls: Readonly<Record<string, string>>,
  modes: PodNamespaceModes,
): void {
  for (const name of Object.keys(sysctls)) {
    // Kubernetes also accepts the slash form (net/ipv4/ip_forward).
    const dotted = name.replaceAll('/', '.');
    const namespace = sysctlNamespace(dotted);
    if (namespace === undefined) {
      throw new Error(
        `sysctl ${JSON.stringify(name)} is not in a separate kernel namespace: a pod may set only namespaced sysctls (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*, kernel.domainname)`,
      );
    }
    const shared =
      (namespace === 'network' && modes.network === 'NODE') ||
      (namespace === 'ipc' && modes.ipc === 'NODE') ||
      (namespace === 'uts' && modes.network === 'NODE');
    if (shared) {
      throw new Error(
        `sysctl ${JSON.stringify(name)} belongs to the ${namespace} namespace, which this pod shares with the node`,
      );
    }
  }
}
