// A ResourceClient over the ObjectTracker: each verb is recorded as an Action, offered to the
// reactors (the first that answers wins), and otherwise carried out by the tracker — as
// client-go's fake clientset does. Results are copies, so a caller editing what it got does
// not edit the store.
import { ApiError, apiErrors, makeStatus, type List, type Scale, type Status } from '@skiff/api';
import { applyPatch, PatchError, replicasFrom, workloadScale } from '@skiff/apiserver/testing';
import { listAllPages } from '../../rest/list-all.js';
import {
  fieldSelectorString,
  labelSelectorString,
  patchContentTypes,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type PatchOptions,
  type SelectorOptions,
  type WatchOptions,
  type WriteOptions,
} from '../../rest/options.js';
import type { GroupVersionResource } from '../../rest/paths.js';
import type { KubeObject, ResourceClient } from '../../rest/resource-client.js';
import { withTypeMeta, type TypeMeta } from '../../rest/type-meta.js';
import type { Watch } from '../../rest/watch.js';
import type { Action } from './actions.js';
import type { ObjectTracker, Selectors, Stored } from './object-tracker.js';
import { bind, bindingTarget, created } from './subresources.js';

/** What a FakeResourceClient needs from the FakeClient that made it. */
export interface FakeBackend {
  readonly tracker: ObjectTracker;
  now(): number;
  /** Records the action and lets the reactors answer it; `run` when none does. */
  invoke<R>(action: Action, run: () => R): Promise<R>;
}

export class FakeResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly backend: FakeBackend,
    readonly gvr: GroupVersionResource,
    readonly namespace: string | undefined,
    /** apiVersion and kind stamped on objects sent without them, when the kind is known. */
    private readonly typeMeta?: TypeMeta,
  ) {}

  get(name: string, _options: GetOptions = {}): Promise<T> {
    return this.invoke(
      { verb: 'get', name },
      () => this.tracker.get(this.gvr, this.namespace, name) as T,
    );
  }

  list(options: ListOptions = {}): Promise<List<T>> {
    const selectors = selectorsOf(options);
    return this.invoke(
      { verb: 'list', ...selectors },
      () => this.tracker.list(this.gvr, this.namespace, selectors) as List<T>,
    );
  }

  listAll(options: ListOptions = {}): Promise<List<T>> {
    // The fake answers every list in one page; the pager stays the same code as the REST one.
    return listAllPages(({ limit: _limit, ...rest }) => this.list(rest), options);
  }

  create(object: T, _options: WriteOptions = {}): Promise<T> {
    const sent = withTypeMeta(object, this.typeMeta);
    const namespace = this.namespaceOf(object);
    return this.invoke(
      { verb: 'create', name: object.metadata?.name, namespace, object: sent },
      () => this.tracker.create(this.gvr, namespace, sent) as T,
    );
  }

  update(object: T, _options: WriteOptions = {}): Promise<T> {
    return this.put(object);
  }

  updateStatus(object: T, _options: WriteOptions = {}): Promise<T> {
    return this.put(object, 'status');
  }

  getSubresource<S>(name: string, subresource: string, _options: GetOptions = {}): Promise<S> {
    return this.invoke({ verb: 'get', name, subresource }, () => {
      const object = this.tracker.get(this.gvr, this.namespace, name);
      return this.viewOf(object, subresource) as S;
    });
  }

  updateSubresource<S>(
    name: string,
    subresource: string,
    body: S,
    _options: WriteOptions = {},
  ): Promise<S> {
    return this.invoke({ verb: 'update', name, subresource, object: body }, () => {
      if (subresource === 'status') {
        return this.tracker.update(this.gvr, this.namespace, body as KubeObject, 'status') as S;
      }
      if (subresource !== 'scale' || !this.serves('scale')) throw this.noSubresource();
      return this.writeScale(name, body) as S;
    });
  }

  createSubresource<B, R = Status>(
    name: string,
    subresource: string,
    body: B,
    _options: WriteOptions = {},
  ): Promise<R> {
    return this.invoke({ verb: 'create', name, subresource, object: body }, () => {
      if (subresource !== 'binding' || !this.serves('binding')) throw this.noSubresource();
      const { nodeName, binding } = bindingTarget(body);
      this.tracker.updateWith(this.gvr, this.namespace, name, (pod) =>
        bind(pod, this.gvr, nodeName, binding, this.backend.now()),
      );
      return created() as R;
    });
  }

  patch(name: string, patch: unknown, options: PatchOptions): Promise<T> {
    const { subresource, type } = options;
    const action = { verb: 'patch', name, subresource, patch, patchType: type } as const;
    return this.invoke(action, () => {
      const current = this.tracker.get(this.gvr, this.namespace, name) as Stored;
      if (subresource === 'scale' && this.serves('scale')) {
        const scaleKind = { apiVersion: 'autoscaling/v1', kind: 'Scale' };
        const scale = patched(workloadScale.scaleOf(current), patch, type, scaleKind);
        // What the caller gets back is a Scale, as from the server, whatever T is.
        return this.writeScale(name, scale) as unknown as T;
      }
      if (subresource !== undefined && subresource !== 'status') throw this.noSubresource();
      const target = { apiVersion: current.apiVersion ?? '', kind: current.kind ?? '' };
      const next = patched(current, patch, type, target);
      return this.tracker.update(this.gvr, this.namespace, next, subresource) as T;
    });
  }

  delete(name: string, options: DeleteOptions = {}): Promise<T | Status> {
    const { gracePeriodSeconds, preconditions } = options;
    return this.invoke(
      { verb: 'delete', name },
      () =>
        this.tracker.delete(this.gvr, this.namespace, name, {
          gracePeriodSeconds,
          preconditions,
        }) as T | Status,
    );
  }

  deleteCollection(options: DeleteCollectionOptions = {}): Promise<List<T> | Status> {
    const selectors = selectorsOf(options);
    const { gracePeriodSeconds, preconditions } = options;
    return this.invoke({ verb: 'delete-collection', ...selectors }, () => {
      const list = this.tracker.list(this.gvr, this.namespace, selectors);
      const items = list.items.map((item) =>
        this.tracker.delete(this.gvr, item.metadata?.namespace, item.metadata?.name ?? '', {
          gracePeriodSeconds,
          preconditions,
        }),
      );
      return {
        ...list,
        items: items.filter((i): i is T => (i as Status).kind !== 'Status'),
      };
    });
  }

  watch(options: WatchOptions = {}): Promise<Watch<T>> {
    const selectors = selectorsOf(options);
    const { resourceVersion, signal } = options;
    return this.invoke(
      { verb: 'watch', ...selectors },
      () =>
        this.tracker.watch(this.gvr, this.namespace, {
          ...selectors,
          resourceVersion,
          signal,
        }) as Watch<T>,
    );
  }

  private get tracker(): ObjectTracker {
    return this.backend.tracker;
  }

  private invoke<R>(action: Partial<Action> & Pick<Action, 'verb'>, run: () => R): Promise<R> {
    return this.backend.invoke(
      {
        resource: this.gvr.resource,
        group: this.gvr.group,
        namespace: this.namespace,
        name: undefined,
        subresource: undefined,
        object: undefined,
        ...action,
        ...(action.object !== undefined ? { object: structuredClone(action.object) } : {}),
      },
      run,
    );
  }

  /** PUT (or POST) of the whole object, or with `subresource: 'status'` of its status only. */
  private put(object: T, subresource?: 'status'): Promise<T> {
    const sent = withTypeMeta(object, this.typeMeta);
    const namespace = this.namespaceOf(object);
    return this.invoke(
      { verb: 'update', name: object.metadata?.name, namespace, subresource, object: sent },
      () => this.tracker.update(this.gvr, namespace, sent, subresource) as T,
    );
  }

  /** Sets spec.replicas from a Scale body (the apiserver's checks) and answers the new Scale. */
  private writeScale(name: string, body: unknown): Scale {
    const replicas = replicasFrom(body, name);
    const resourceVersion = (body as KubeObject | undefined)?.metadata?.resourceVersion;
    const updated = this.tracker.updateWith(
      this.gvr,
      this.namespace,
      name,
      (object) => workloadScale.withReplicas(object, replicas),
      resourceVersion,
    );
    return workloadScale.scaleOf(updated as Stored);
  }

  /** GET of a subresource: the object itself for status, a Scale for scale. */
  private viewOf(object: KubeObject, subresource: string): unknown {
    if (subresource === 'status' && this.serves('status')) return object;
    if (subresource === 'scale' && this.serves('scale'))
      return workloadScale.scaleOf(object as Stored);
    throw this.noSubresource();
  }

  private serves(subresource: string): boolean {
    return this.tracker.subresourcesOf(this.gvr).some((s) => s === subresource);
  }

  /** 404 with the server's wording for a path it does not serve. */
  private noSubresource(): ApiError {
    return apiErrors.pathNotFound();
  }

  private namespaceOf(object: T): string | undefined {
    return this.namespace ?? object.metadata?.namespace;
  }
}

function selectorsOf(options: SelectorOptions): Selectors {
  const labelSelector =
    options.labelSelector === undefined ? '' : labelSelectorString(options.labelSelector);
  const fieldSelector =
    options.fieldSelector === undefined ? '' : fieldSelectorString(options.fieldSelector);
  return {
    ...(labelSelector && { labelSelector }),
    ...(fieldSelector && { fieldSelector }),
  };
}

/** The apiserver's patch, with its failures as the ApiErrors the server answers. */
function patched(
  original: unknown,
  patch: unknown,
  type: PatchOptions['type'],
  target: { apiVersion: string; kind: string },
): KubeObject {
  try {
    const result = applyPatch(patchContentTypes[type], original, patch, target) as KubeObject;
    if (result.metadata === undefined || result.metadata === null) result.metadata = {};
    return result;
  } catch (err) {
    if (err instanceof PatchError) {
      throw new ApiError(makeStatus({ code: err.code, reason: err.reason, message: err.message }));
    }
    throw err;
  }
}
