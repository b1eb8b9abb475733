// What the apiserver serves, read from its discovery documents — /apis for the groups, then
// /api/v1 and /apis/{group}/{version} for each group version's resources — as client-go's
// discovery client does (ServerGroupsAndResources). Built-ins and custom resources alike: a CRD
// shows up here as soon as it is served. A group version whose document cannot be read is a
// partial failure, reported beside the others: one broken group (an aggregated API that is down,
// a CRD being removed) must not blind a controller to everything else.
import { errorMessage } from '@skiff/api';
import type { RequestSender } from '../rest/index.js';

export interface APIResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs?: readonly string[];
  /** What kubectl also accepts for the resource (`cm` for configmaps). */
  readonly shortNames?: readonly string[];
  readonly singularName?: string;
  /** Groupings kubectl expands, such as `all`. */
  readonly categories?: readonly string[];
}

export interface APIResourceList {
  readonly groupVersion?: string;
  readonly resources?: readonly APIResource[];
}

interface APIGroupList {
  readonly groups?: readonly {
    readonly versions?: readonly { readonly groupVersion: string }[];
    readonly preferredVersion?: { readonly groupVersion: string };
  }[];
}

export interface ServerResources {
  /** Every served group version that parses, `v1` (the core group) first. */
  readonly groupVersions: readonly string[];
  /** The preferred version of each group (`v1` for the core group). */
  readonly preferred: ReadonlySet<string>;
  /** groupVersion → its resource list, for each document that could be read. */
  readonly lists: ReadonlyMap<string, APIResourceList>;
  /** groupVersion → why its document could not be read. */
  readonly failed: ReadonlyMap<string, string>;
  /** Group versions /apis named that are not `group/version` (a malformed document): not asked. */
  readonly unparsable: readonly string[];
}

/** Reads every discovery document; throws only when the group list itself cannot be read. */
export async function serverResources(
  rest: RequestSender,
  signal?: AbortSignal,
): Promise<ServerResources> {
  const groups = await rest.json<APIGroupList>({ method: 'GET', path: '/apis', signal });
  const preferred = new Set(['v1']);
  const all = ['v1'];
  for (const group of groups.groups ?? []) {
    if (group.preferredVersion) {
      preferred.add(group.preferredVersion.groupVersion);
      all.push(group.preferredVersion.groupVersion);
    }
    all.push(...(group.versions ?? []).map((v) => v.groupVersion));
  }
  const named = [...new Set(all)];
  const groupVersions = named.filter((gv) => parseGroupVersion(gv) !== undefined);
  const unparsable = named.filter((gv) => parseGroupVersion(gv) === undefined);
  const lists = new Map<string, APIResourceList>();
  const failed = new Map<string, string>();
  await Promise.all(
    groupVersions.map(async (groupVersion) => {
      const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
      try {
        lists.set(groupVersion, await rest.json<APIResourceList>({ method: 'GET', path, signal }));
      } catch (err) {
        failed.set(groupVersion, errorMessage(err));
      }
    }),
  );
  return { groupVersions, preferred, lists, failed, unparsable };
}

/** `v1` is the core group; anything else is `group/version` with both parts non-empty. */
export function parseGroupVersion(
  groupVersion: string,
): { group: string; version: string } | undefined {
  const parts = groupVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: groupVersion };
  const [group, version] = parts;
  if (parts.length !== 2 || !group || !version) return undefined;
  return { group, version };
}
