// The labels and annotations the kubelet puts on sandboxes and containers, with Kubernetes'
// names, so a runtime's objects can be traced back to their pod (`crictl ps --label
// io.kubernetes.pod.uid=…`) and the kubelet finds its pods again after a restart.
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Which spec the container was made from: a changed spec means a restart. */
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const CONTAINER_RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
/** Where in the container the termination message is written (read back when it exits). */
export const TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_GRACE_PERIOD_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';

export interface PodRef {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
}

export function sandboxLabels(pod: PodRef): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.name,
    [POD_NAMESPACE_LABEL]: pod.namespace,
    [POD_UID_LABEL]: pod.uid,
  };
}

export function containerLabels(pod: PodRef, containerName: string): Record<string, string> {
  return { ...sandboxLabels(pod), [CONTAINER_NAME_LABEL]: containerName };
}

/** The pod a runtime object belongs to, from its labels; undefined if the kubelet did not make it. */
export function podRefOf(labels: Readonly<Record<string, string>>): PodRef | undefined {
  const uid = labels[POD_UID_LABEL];
  if (uid === undefined) return undefined;
  return {
    uid,
    name: labels[POD_NAME_LABEL] ?? '',
    namespace: labels[POD_NAMESPACE_LABEL] ?? '',
  };
}
