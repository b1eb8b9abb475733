// The verbs of one resource in one namespace (or across all of them, or cluster-scoped): what
// typed helpers (`client.pods('web')`) and the dynamic client for any group/version/resource
// hand out, because on the wire every kind is the same few verbs on a URL. An interface, so a
// test can stand a fake in for the REST implementation (./rest-resource-client.ts).
import type { List, ObjectMeta, Status } from '@skiff/api';
import type {
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  PatchOptions,
  WatchOptions,
  WriteOptions,
} from './options.js';
import type { GroupVersionResource } from './paths.js';
import type { Watch } from './watch.js';

/** What every Kubernetes object has: type meta and object meta. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ResourceClient<T extends KubeObject> {
  readonly gvr: GroupVersionResource;
  /**
   * Where the verbs act: a namespace, or undefined for a cluster-scoped resource and for lists
   * and watches across every namespace. Writes then take the object's own namespace.
   */
  readonly namespace: string | undefined;

  get(name: string, options?: GetOptions): Promise<T>;

  /** One page when `limit` is set (follow `metadata.continue`), else everything. */
  list(options?: ListOptions): Promise<List<T>>;

  /**
   * Every item, fetched page by page (`limit` is the page size, 500 by default) so no single
   * answer is huge. All pages come from one snapshot; if that snapshot is compacted midway
   * (410), it starts over with one unpaged list, as client-go's pager does.
   */
  listAll(options?: ListOptions): Promise<List<T>>;

  create(object: T, options?: WriteOptions): Promise<T>;

  /** Replaces the object; its metadata.resourceVersion makes this a compare-and-swap (409). */
  update(object: T, options?: WriteOptions): Promise<T>;

  /** Writes only `.status` (spec changes in the object are ignored by the server). */
  updateStatus(object: T, options?: WriteOptions): Promise<T>;

  /** GET of a subresource, e.g. `getSubresource<Scale>('web', 'scale')`. */
  getSubresource<S>(name: string, subresource: string, options?: GetOptions): Promise<S>;

  /** PUT of a subresource, e.g. `updateSubresource('web', 'scale', scale)`. */
  updateSubresource<S>(
    name: string,
    subresource: string,
    body: S,
    options?: WriteOptions,
  ): Promise<S>;

  /** POST to a subresource, e.g. a Binding to `pods/x/binding`; answers what the server says. */
  createSubresource<B, R = Status>(
    name: string,
    subresource: string,
    body: B,
    options?: WriteOptions,
  ): Promise<R>;

  /**
   * `patch('web', {spec: {replicas: 3}}, {type: 'merge'})`; a JSON patch is a list of
   * operations: `[{op: 'replace', path: '/spec/replicas', value: 3}]`.
   */
  patch(name: string, patch: unknown, options: PatchOptions): Promise<T>;

  /**
   * Answers the object while it still exists (finalizers, a pod's grace period) and a Status
   * once it is gone, as the server does.
   */
  delete(name: string, options?: DeleteOptions): Promise<T | Status>;

  /** Deletes everything the selectors match in this namespace. */
  deleteCollection(options?: DeleteCollectionOptions): Promise<List<T> | Status>;

  /**
   * Opens a watch: resolves once the server has answered (a 410 for a compacted
   * resourceVersion rejects here as an ApiError), then iterate it for events.
   */
  watch(options?: WatchOptions): Promise<Watch<T>>;
}
