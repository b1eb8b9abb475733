// What the garbage collector watches and how it resolves an owner reference, from the client's
// discovery (every served group version, built-ins and custom resources alike): client-go's
// GetDeletableResources (the preferred version of every resource that can be listed, watched
// and deleted) plus a RESTMapper over every served version (an ownerReference may name any
// version of its owner's kind). A group whose document cannot be read is skipped this round;
// the next rediscovery tries again.
import {
  parseGroupVersion,
  serverResources,
  type APIResourceList,
  type GroupVersionResource,
  type RequestSender,
} from '@skiff/client';

export interface ApiResource extends GroupVersionResource {
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface GCDiscovery {
  /** Resources to build the graph from: preferred versions, list + watch + delete. */
  readonly monitored: readonly ApiResource[];
  /** Every served `apiVersion/kind` → its resource, for owner references. */
  readonly kinds: ReadonlyMap<string, ApiResource>;
  /** groupVersion → why its document could not be read. */
  readonly failedGroups: ReadonlyMap<string, string>;
}

export interface ResourceDiscovery {
  discover(signal?: AbortSignal): Promise<GCDiscovery>;
}

const MONITOR_VERBS = ['list', 'watch', 'delete'];
/** Kubernetes' DefaultIgnoredResources: events own nothing and are many; not monitored. */
const IGNORED = new Set(['events.', 'events.events.k8s.io']);

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Discovery through raw requests to the apiserver. */
export function restResourceDiscovery(rest: RequestSender): ResourceDiscovery {
  return {
    async discover(signal) {
      const served = await serverResources(rest, signal);
      const documents = served.groupVersions.map((groupVersion) => ({
        groupVersion,
        list: served.lists.get(groupVersion),
        error: served.failed.get(groupVersion),
      }));
      return fromDocuments(documents, served.preferred);
    },
  };
}

/** The discovery answer from each group version's document. */
export function fromDocuments(
  documents: readonly { groupVersion: string; list?: APIResourceList; error?: string }[],
  preferred: ReadonlySet<string>,
): GCDiscovery {
  const monitored: ApiResource[] = [];
  const kinds = new Map<string, ApiResource>();
  const failedGroups = new Map<string, string>();
  for (const { groupVersion, list, error } of documents) {
    if (error !== undefined || !list) {
      failedGroups.set(groupVersion, error ?? 'no document');
      continue;
    }
    const parsed = parseGroupVersion(groupVersion);
    if (!parsed) continue;
    const { group, version } = parsed;
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // a subresource
      const resource: ApiResource = {
        group,
        version,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
      };
      kinds.set(kindKey(groupVersion, r.kind), resource);
      const verbs = r.verbs ?? [];
      if (
        preferred.has(groupVersion) &&
        MONITOR_VERBS.every((v) => verbs.includes(v)) &&
        !IGNORED.has(`${r.name}.${group}`)
      ) {
        monitored.push(resource);
      }
    }
  }
  return { monitored, kinds, failedGroups };
}

/** `resource.version.group`, one id per monitored resource. */
export function resourceId(r: GroupVersionResource): string {
  return `${r.resource}.${r.version}.${r.group}`;
}
