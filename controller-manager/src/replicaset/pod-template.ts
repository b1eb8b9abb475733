// The pod a ReplicaSet creates (Kubernetes' GetPodFromTemplate): the template's labels,
// annotations, finalizers and spec, a generated name prefixed with the owner's name, and the
// controller reference that makes the pod the ReplicaSet's.
import type { OwnerReference, Pod, ReplicaSet } from '@skiff/api';

export function podFromTemplate(rs: Readonly<ReplicaSet>, ownerRef: OwnerReference): Pod {
  const template = rs.spec.template;
  const meta = template?.metadata ?? {};
  // A structured clone: the template comes from the read-only cache and the pod will be sent.
  const spec = structuredClone(template?.spec ?? { containers: [] });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace,
      ...(meta.labels && { labels: { ...meta.labels } }),
      ...(meta.annotations && { annotations: { ...meta.annotations } }),
      ...(meta.finalizers && { finalizers: [...meta.finalizers] }),
      ownerReferences: [ownerRef],
    },
    spec,
  };
}
