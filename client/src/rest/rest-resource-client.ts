// The REST implementation of ResourceClient: each verb becomes a request on the resource's URL
// (./paths.ts) with its options as query parameters and body, sent through a RequestSender (the
// RestClient: rate limit, credentials, retries, errors as ApiError).
import type { List, Status } from '@skiff/api';
import { listAllPages } from './list-all.js';
import {
  deleteBody,
  getQuery,
  listQuery,
  patchContentTypes,
  watchQuery,
  writeQuery,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type PatchOptions,
  type WatchOptions,
  type WriteOptions,
} from './options.js';
import { resourcePath, type GroupVersionResource } from './paths.js';
import type { KubeObject, ResourceClient } from './resource-client.js';
import type { RequestSender } from './rest-client.js';
import { withTypeMeta, type TypeMeta } from './type-meta.js';
import { StreamWatch, type Watch } from './watch.js';

export class RestResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly rest: RequestSender,
    readonly gvr: GroupVersionResource,
    /**
     * Where the verbs act: a namespace, or undefined for a cluster-scoped resource and for
     * lists and watches across every namespace. Writes then take the object's own namespace.
     */
    readonly namespace: string | undefined,
    /** apiVersion and kind to stamp on objects sent without them, when the kind is known. */
    private readonly typeMeta?: TypeMeta,
  ) {}

  get(name: string, options: GetOptions = {}): Promise<T> {
    return this.rest.json<T>({
      method: 'GET',
      path: this.path({ name }),
      query: getQuery(options),
      signal: options.signal,
    });
  }

  /** One page when `limit` is set (follow `metadata.continue`), else everything. */
  list(options: ListOptions = {}): Promise<List<T>> {
    return this.rest.json<List<T>>({
      method: 'GET',
      path: this.path(),
      query: listQuery(options),
      signal: options.signal,
    });
  }

  listAll(options: ListOptions = {}): Promise<List<T>> {
    return listAllPages((page) => this.list(page), options);
  }

  create(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.json<T>({
      method: 'POST',
      path: this.path({ namespace: this.namespaceOf(object) }),
      query: writeQuery(options),
      body: withTypeMeta(object, this.typeMeta),
      signal: options.signal,
    });
  }

  /** Replaces the object; its metadata.resourceVersion makes this a compare-and-swap (409). */
  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.json<T>({
      method: 'PUT',
      path: this.path({ namespace: this.namespaceOf(object), name: nameOf(object) }),
      query: writeQuery(options),
      body: withTypeMeta(object, this.typeMeta),
      signal: options.signal,
    });
  }

  /** Writes only `.status` (spec changes in the object are ignored by the server). */
  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.json<T>({
      method: 'PUT',
      path: this.path({
        namespace: this.namespaceOf(object),
        name: nameOf(object),
        subresource: 'status',
      }),
      query: writeQuery(options),
      body: withTypeMeta(object, this.typeMeta),
      signal: options.signal,
    });
  }

  /** GET of a subresource, e.g. `getSubresource<Scale>('web', 'scale')`. */
  getSubresource<S>(name: string, subresource: string, options: GetOptions = {}): Promise<S> {
    return this.rest.json<S>({
      method: 'GET',
      path: this.path({ name, subresource }),
      query: getQuery(options),
      signal: options.signal,
    });
  }

  /** PUT of a subresource, e.g. `updateSubresource('web', 'scale', scale)`. */
  updateSubresource<S>(
    name: string,
    subresource: string,
    body: S,
    options: WriteOptions = {},
  ): Promise<S> {
    return this.rest.json<S>({
      method: 'PUT',
      path: this.path({ name, subresource }),
      query: writeQuery(options),
      body,
      signal: options.signal,
    });
  }

  /** POST to a subresource, e.g. a Binding to `pods/x/binding`; answers what the server says. */
  createSubresource<B, R = Status>(
    name: string,
    subresource: string,
    body: B,
    options: WriteOptions = {},
  ): Promise<R> {
    return this.rest.json<R>({
      method: 'POST',
      path: this.path({ name, subresource }),
      query: writeQuery(options),
      body,
      signal: options.signal,
    });
  }

  /**
   * `patch('web', {spec: {replicas: 3}}, {type: 'merge'})`; a JSON patch is a list of
   * operations: `[{op: 'replace', path: '/spec/replicas', value: 3}]`.
   */
  patch(name: string, patch: unknown, options: PatchOptions): Promise<T> {
    return this.rest.json<T>({
      method: 'PATCH',
      path: this.path({ name, subresource: options.subresource }),
      query: writeQuery(options),
      body: patch,
      contentType: patchContentTypes[options.type],
      signal: options.signal,
    });
  }

  /**
   * Answers the object while it still exists (finalizers, a pod's grace period) and a Status
   * once it is gone, as the server does.
   */
  delete(name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return this.rest.json<T | Status>({
      method: 'DELETE',
      path: this.path({ name }),
      body: deleteBody(options),
      signal: options.signal,
    });
  }

  /** Deletes everything the selectors match in this namespace. */
  deleteCollection(options: DeleteCollectionOptions = {}): Promise<List<T> | Status> {
    return this.rest.json<List<T> | Status>({
      method: 'DELETE',
      path: this.path(),
      query: listQuery(options),
      body: deleteBody(options),
      signal: options.signal,
    });
  }

  /**
   * Opens a watch: resolves once the server has answered (a 410 for a compacted
   * resourceVersion rejects here as an ApiError), then iterate it for events.
   */
  async watch(options: WatchOptions = {}): Promise<Watch<T>> {
    const request = {
      method: 'GET',
      path: this.path(),
      query: watchQuery(options),
      signal: options.signal,
    } as const;
    const stream = await this.rest.stream(request);
    return new StreamWatch<T>(stream, `watch ${request.path}`, options.signal);
  }

  private path(at: { namespace?: string; name?: string; subresource?: string } = {}): string {
    return resourcePath(this.gvr, { namespace: this.namespace, ...at });
  }

  private namespaceOf(object: T): string | undefined {
    return this.namespace ?? object.metadata?.namespace;
  }
}

function nameOf(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error('the object has no metadata.name');
  return name;
}
