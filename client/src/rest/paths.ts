// URLs as the Kubernetes API lays them out: the core group under /api/v1, every other group
// under /apis/{group}/{version}; namespaced objects under /namespaces/{ns}; then the plural
// resource, the name, and a subresource (`status`, `scale`, `binding`, …).

export interface GroupVersionResource {
  /** `""` for the core group (pods, services, …). */
  readonly group: string;
  readonly version: string;
  /** The plural, lowercase name used in URLs: `deployments`. */
  readonly resource: string;
}

export interface ResourcePath {
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export function resourcePath(gvr: GroupVersionResource, at: ResourcePath = {}): string {
  const root = gvr.group === '' ? `/api/${gvr.version}` : `/apis/${gvr.group}/${gvr.version}`;
  const parts = [root];
  if (at.namespace) parts.push('namespaces', segment(at.namespace, 'namespace'));
  parts.push(gvr.resource);
  if (at.name !== undefined) parts.push(segment(at.name, 'name'));
  if (at.subresource !== undefined) parts.push(segment(at.subresource, 'subresource'));
  return parts.join('/');
}

// An empty name would turn `delete(name)` into a delete of the whole collection's URL.
function segment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..' || value.includes('/')) {
    throw new Error(`invalid ${what} ${JSON.stringify(value)} in a request path`);
  }
  return encodeURIComponent(value);
}
