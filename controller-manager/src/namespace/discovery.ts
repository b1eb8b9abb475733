// Which namespaced resources the apiserver serves right now, built-ins and custom resources
// alike, as client-go's ServerPreferredNamespacedResources answers it: from the client's
// discovery, the preferred version of each group, the resources that are namespaced and can be
// deleted. A group whose document cannot be read is a partial failure: the others are still
// answered, so one broken group does not stop a namespace from being emptied of everything else.
import {
  parseGroupVersion,
  serverResources,
  type APIResourceList,
  type GroupVersionResource,
  type RequestSender,
} from '@skiff/client';

export interface DiscoveredResource extends GroupVersionResource {
  /** The verbs discovery lists, e.g. `delete`, `deletecollection`, `list`. */
  readonly verbs: readonly string[];
}

export interface DiscoveryResult {
  readonly resources: readonly DiscoveredResource[];
  /** groupVersion → why its document could not be read. */
  readonly failedGroups: ReadonlyMap<string, string>;
  /** Group versions discovery named that are not `group/version` (a malformed document). */
  readonly unparsableGroupVersions: readonly string[];
}

export interface NamespacedResourceDiscovery {
  /** Throws when nothing at all could be discovered (the group list itself failed). */
  namespacedResources(signal?: AbortSignal): Promise<DiscoveryResult>;
}

/** Discovery over the apiserver's documents, through the client's request sender. */
export function restDiscovery(rest: RequestSender): NamespacedResourceDiscovery {
  return {
    async namespacedResources(signal) {
      const served = await serverResources(rest, signal);
      const resources: DiscoveredResource[] = [];
      const failedGroups = new Map<string, string>();
      const unparsableGroupVersions = served.unparsable.filter((gv) => served.preferred.has(gv));
      for (const groupVersion of served.groupVersions) {
        if (!served.preferred.has(groupVersion)) continue;
        const error = served.failed.get(groupVersion);
        if (error !== undefined) failedGroups.set(groupVersion, error);
        const list = served.lists.get(groupVersion);
        if (list) resources.push(...namespacedDeletable(groupVersion, list));
      }
      return { resources, failedGroups, unparsableGroupVersions };
    },
  };
}

/** The namespaced resources of one group version that can be deleted (no subresources). */
export function namespacedDeletable(
  groupVersion: string,
  list: APIResourceList,
): DiscoveredResource[] {
  const parsed = parseGroupVersion(groupVersion);
  if (!parsed) return [];
  const { group, version } = parsed;
  return (list.resources ?? [])
    .filter((r) => r.namespaced && !r.name.includes('/') && (r.verbs ?? []).includes('delete'))
    .map((r) => ({ group, version, resource: r.name, verbs: r.verbs ?? [] }));
}
