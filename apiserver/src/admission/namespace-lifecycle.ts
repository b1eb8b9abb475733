// Kubernetes' NamespaceLifecycle plugin: objects can only be created in a namespace that exists
// and is not being deleted (otherwise the namespace could never finish emptying), and the
// namespaces the system itself relies on cannot be deleted.
import type { Namespace } from '@skiff/api';
import { apiErrors } from '@skiff/api';
import type { ValidatingAdmissionPlugin } from './types.js';

/** Namespaces every cluster starts with. `kube-node-lease` holds the kubelets' heartbeats. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Deleting these would break the cluster, so Kubernetes refuses it. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export type NamespaceLookup = (name: string) => Promise<Namespace | undefined>;

export function namespaceLifecycle(lookup: NamespaceLookup): ValidatingAdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(attrs) {
      const { kind, operation } = attrs;
      if (kind.kind === 'Namespace' && kind.group === '') {
        if (
          operation === 'DELETE' &&
          attrs.subresource === undefined &&
          immortalNamespaces.has(attrs.name)
        ) {
          throw apiErrors.forbidden(
            { group: '', resource: 'namespaces' },
            attrs.name,
            'this namespace may not be deleted',
          );
        }
        return;
      }
      if (operation !== 'CREATE' || !kind.namespaced || attrs.namespace === undefined) return;
      // Subresource creates (a pod's binding, an exec) act on an existing object, not new content.
      if (attrs.subresource !== undefined) return;
      const ns = await lookup(attrs.namespace);
      if (!ns) throw apiErrors.notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
        throw apiErrors.forbidden(
          { group: kind.group, resource: kind.resource },
          attrs.name,
          `unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
        );
      }
    },
  };
}
