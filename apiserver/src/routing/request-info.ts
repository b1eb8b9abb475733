// URL → which resource a request is about. The layout is Kubernetes':
//   /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]          (core group)
//   /apis/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}[/{sub}]]  (named groups)
// with one wrinkle: /api/v1/namespaces/{name}/status and /finalize are subresources of the
// namespace itself, not a resource called "status" inside it.
import type { KindInfo, Subresource } from '@skiff/api';
import { apiErrors } from '@skiff/api';
import type { ServedKinds } from './served-kinds.js';

export interface ResourceRequest {
  readonly kind: KindInfo;
  /** From the URL; undefined for cluster-scoped kinds and for lists across namespaces. */
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: Subresource | undefined;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** The group/version prefix of a resource path, or undefined when the path is not under /api or /apis. */
export function splitApiPath(
  path: string,
): { group: string; version: string; rest: string[] } | undefined {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeSegment);
  if (parts[0] === 'api' && parts[1] !== undefined) {
    return { group: '', version: parts[1], rest: parts.slice(2) };
  }
  if (parts[0] === 'apis' && parts[1] !== undefined && parts[2] !== undefined) {
    return { group: parts[1], version: parts[2], rest: parts.slice(3) };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  // Almost every segment has no escapes, and decodeURIComponent is a call into the runtime that
  // every request paid for each segment of its path (~1 % of a busy apiserver's CPU).
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch (err) {
    throw apiErrors.badRequest(`malformed URL segment ${JSON.stringify(segment)}: ${String(err)}`);
  }
}

/**
 * Resolves a path below a group/version to a resource request. Throws the 404 Kubernetes gives
 * for a path that names no resource.
 */
export function parseResourcePath(
  kinds: ServedKinds,
  group: string,
  version: string,
  rest: string[],
): ResourceRequest {
  let namespace: string | undefined;
  let parts = rest;
  if (
    parts[0] === 'namespaces' &&
    parts.length >= 3 &&
    !namespaceSubresources.has(parts[2] ?? '')
  ) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, subresource, ...extra] = parts;
  const kind = resource === undefined ? undefined : kinds.forResource(group, version, resource);
  if (!kind || extra.length > 0 || name === '') throw apiErrors.pathNotFound();
  if (namespace !== undefined && !kind.namespaced) throw apiErrors.pathNotFound();
  // A namespaced object is only addressable inside its namespace; `/api/v1/pods` lists them all.
  if (namespace === undefined && kind.namespaced && name !== undefined) {
    throw apiErrors.pathNotFound();
  }
  if (subresource !== undefined && !kind.subresources.includes(subresource as Subresource)) {
    throw apiErrors.pathNotFound();
  }
  return { kind, namespace, name, subresource: subresource as Subresource | undefined };
}
