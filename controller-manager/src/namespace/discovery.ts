// Which namespaced resources the apiserver serves right now, built-ins and custom resources
// alike, read from its discovery documents (/api/v1, /apis, /apis/{group}/{version}) as
// client-go's ServerPreferredNamespacedResources does: the preferred version of each group, the
// resources that are namespaced and can be deleted. A group whose document cannot be read is a
// partial failure: the others are still answered, so one broken group does not stop a namespace
// from being emptied of everything else.
import { errorMessage } from '@skiff/api';
import type { GroupVersionResource, RequestSender } from '@skiff/client';

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

interface APIResource {
  readonly name: string;
  readonly namespaced: boolean;
  readonly verbs?: readonly string[];
}

interface APIResourceList {
  readonly groupVersion: string;
  readonly resources?: readonly APIResource[];
}

interface APIGroupList {
  readonly groups?: readonly { readonly preferredVersion?: { readonly groupVersion: string } }[];
}

/** Discovery over the apiserver's documents, through the client's request sender. */
export function restDiscovery(rest: RequestSender): NamespacedResourceDiscovery {
  return {
    async namespacedResources(signal) {
      const groups = await rest.json<APIGroupList>({ method: 'GET', path: '/apis', signal });
      const groupVersions = [
        'v1',
        ...(groups.groups ?? []).flatMap((g) =>
          g.preferredVersion ? [g.preferredVersion.groupVersion] : [],
        ),
      ];
      const resources: DiscoveredResource[] = [];
      const failedGroups = new Map<string, string>();
      const unparsableGroupVersions: string[] = [];
      await Promise.all(
        groupVersions.map(async (groupVersion) => {
          if (!parseGroupVersion(groupVersion)) {
            unparsableGroupVersions.push(groupVersion);
            return;
          }
          const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
          try {
            const list = await rest.json<APIResourceList>({ method: 'GET', path, signal });
            resources.push(...namespacedDeletable(groupVersion, list));
          } catch (err) {
            failedGroups.set(groupVersion, errorMessage(err));
          }
        }),
      );
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

/** `v1` is the core group; anything else is `group/version` with both parts non-empty. */
function parseGroupVersion(groupVersion: string): { group: string; version: string } | undefined {
  const parts = groupVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: groupVersion };
  const [group, version] = parts;
  if (parts.length !== 2 || !group || !version) return undefined;
  return { group, version };
}
