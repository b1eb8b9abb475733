// The fake client's storage (client-go's testing.ObjectTracker), with the apiserver's rules a
// controller relies on: one resourceVersion counter for everything, bumped by every write like
// the store's revision; 404 / 409 Conflict / AlreadyExists as ApiErrors; server-owned metadata
// (uid, creationTimestamp, generation) kept from the stored object; status written only through
// the status subresource; finalizers and a bound pod's grace period holding a deleted object
// with a deletionTimestamp; and watches that replay history from a resourceVersion in order.
import {
  apiErrors,
  deepFreeze,
  KindFieldSelector,
  parseFieldSelector,
  fieldSelectorForKind,
  FieldSelectorError,
  parseSelector,
  SelectorParseError,
  semanticEqual,
  type Clock,
  type List,
  type ObjectMeta,
  type Status,
  type Subresource,
} from '@skiff/api';
import { rfc3339 } from '@skiff/api/testing';
import type { GroupVersionResource } from '../../rest/paths.js';
import type { KubeObject } from '../../rest/resource-client.js';
import { FakeWatch } from './fake-watch.js';
import { NameSequence } from './names.js';
import {
  resolveResource,
  resourceKey,
  resourceOfObject,
  type TrackedResource,
} from './resources.js';

export type Stored = KubeObject & {
  metadata: ObjectMeta;
  status?: unknown;
  [field: string]: unknown;
};
type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Change {
  readonly revision: number;
  readonly key: string;
  readonly type: ChangeType;
  readonly object: Stored;
  /** The object before a MODIFIED, so a selecting watch can tell entering from leaving. */
  readonly previous: Stored | undefined;
}

export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface TrackerDeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { uid?: string; resourceVersion?: string };
}

interface Watcher {
  readonly key: string;
  readonly namespace: string | undefined;
  readonly matches: (object: Stored) => boolean;
  readonly watch: FakeWatch<unknown>;
}

/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_POD_GRACE_SECONDS = 30;

export class ObjectTracker {
  private revision = 0;
  private compactedRevision = 0;
  private readonly objects = new Map<string, Map<string, Stored>>();
  private readonly resources = new Map<string, TrackedResource>();
  private history: Change[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly names = new NameSequence();

  constructor(private readonly clock: Clock) {}

  /** The resourceVersion of the latest write. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The subresources `gvr` serves (status for custom resources). */
  subresourcesOf(gvr: GroupVersionResource): readonly Subresource[] {
    return this.resource(gvr).subresources;
  }

  /**
   * Seeds an object exactly as given (status, uid, timestamps: whatever it has), the way a test
   * sets up the cluster it starts from; only its resourceVersion is the tracker's, and a numeric
   * one on it is kept (the counter moves past it), so a lister seeded with the same object
   * agrees with the tracker. Built-in kinds are found by apiVersion and kind; give `gvr` for a
   * custom resource.
   */
  add(object: KubeObject, gvr?: GroupVersionResource): void {
    const resource = gvr ? this.resource(gvr) : resourceOfObject(object);
    if (!resource) {
      throw new Error(
        `add: no built-in kind ${object.apiVersion ?? '?'}/${object.kind ?? '?'}; pass its group/version/resource`,
      );
    }
    this.learn(resource, object);
    const stored = this.copyIn(object);
    const name = stored.metadata.name;
    if (!name) throw new Error('add: the object has no metadata.name');
    // A seed has no request to take a namespace from; keyed without one, a lister seeded with
    // the same object would disagree with the tracker about where it lives.
    if (resource.namespaced === true && !stored.metadata.namespace) {
      throw new Error(`add: ${resource.resource} "${name}" needs metadata.namespace`);
    }
    if (resource.namespaced === false) delete stored.metadata.namespace;
    if (this.find(resource, stored.metadata.namespace, name)) {
      throw apiErrors.alreadyExists(resource, name);
    }
    const given = Number(stored.metadata.resourceVersion);
    this.revision =
      Number.isSafeInteger(given) && given > this.revision ? given : this.revision + 1;
    stored.metadata.resourceVersion = String(this.revision);
    this.commit(resource, 'ADDED', stored, undefined);
  }

  get(gvr: GroupVersionResource, namespace: string | undefined, name: string): KubeObject {
    const resource = this.resource(gvr);
    const stored = this.find(resource, namespace, name);
    if (!stored) throw apiErrors.notFound(resource, name);
    return structuredClone(stored);
  }

  list(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    selectors: Selectors,
  ): List<KubeObject> {
    const resource = this.resource(gvr);
    const matches = this.matcher(resource, selectors);
    const items = [...this.bucket(resource).values()]
      .filter((o) => (namespace === undefined || o.metadata.namespace === namespace) && matches(o))
      .sort(byNamespaceAndName)
      .map((o) => structuredClone(o));
    return {
      apiVersion: resource.apiVersion,
      kind: `${resource.kind ?? 'Object'}List`,
      metadata: { resourceVersion: this.resourceVersion },
      items,
    };
  }

  create(gvr: GroupVersionResource, namespace: string | undefined, object: KubeObject): KubeObject {
    const resource = this.resource(gvr);
    this.learn(resource, object);
    const stored = this.copyIn(object);
    const meta = stored.metadata;
    this.placeIn(resource, namespace, meta);
    if (!meta.name && meta.generateName) meta.name = this.names.generateName(meta.generateName);
    const name = meta.name;
    if (!name) {
      throw apiErrors.invalid({ group: resource.group, kind: resource.kind ?? '' }, '', [
        {
          type: 'FieldValueRequired',
          field: 'metadata.name',
          badValue: '',
          detail: 'name or generateName is required',
        },
      ]);
    }
    if (this.find(resource, meta.namespace, name)) throw apiErrors.alreadyExists(resource, name);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = this.names.nextUid();
    meta.creationTimestamp = rfc3339(this.clock.now());
    meta.generation = 1;
    if (resource.kind === 'Pod') stored.status = { phase: 'Pending' };
    else if (hasStatus(resource)) delete stored.status;
    meta.resourceVersion = String(++this.revision);
    this.commit(resource, 'ADDED', stored, undefined);
    return structuredClone(stored);
  }

  /**
   * PUT: replaces the object (its status kept when the kind has a status subresource), or with
   * `subresource: 'status'` only its status. A resourceVersion on `object` must be the stored
   * one (409 otherwise); none means "whatever is stored".
   */
  update(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    object: KubeObject,
    subresource?: 'status',
  ): KubeObject {
    const resource = this.resource(gvr);
    const incoming = this.copyIn(object);
    const name = incoming.metadata.name;
    if (!name) throw apiErrors.badRequest('the object has no metadata.name');
    const ns =
      resource.namespaced === false ? undefined : (namespace ?? incoming.metadata.namespace);
    const current = this.find(resource, ns, name);
    if (!current) throw apiErrors.notFound(resource, name);
    this.checkResourceVersion(resource, current, incoming.metadata.resourceVersion);

    const next: Stored =
      subresource === 'status'
        ? { ...structuredClone(current), status: incoming.status }
        : this.withServerFields(resource, incoming, current);
    return this.write(resource, next, current);
  }

  /**
   * A server-side change to the stored object (a subresource such as binding or scale):
   * `change` gets a copy to edit or replace; `resourceVersion`, when given, must be the stored one.
   */
  updateWith(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    change: (object: Stored) => Stored,
    resourceVersion?: string,
  ): KubeObject {
    const resource = this.resource(gvr);
    const current = this.find(resource, namespace, name);
    if (!current) throw apiErrors.notFound(resource, name);
    this.checkResourceVersion(resource, current, resourceVersion);
    return this.write(resource, change(structuredClone(current)), current);
  }

  /**
   * DELETE: gone at once, or — while finalizers remain, or for a pod bound to a node with a grace
   * period — kept with a deletionTimestamp. Answers the object while it exists; once gone, the
   * object for pods and a Success Status for other kinds, as the apiserver does.
   */
  delete(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    options: TrackerDeleteOptions = {},
  ): KubeObject | Status {
    const resource = this.resource(gvr);
    const current = this.find(resource, namespace, name);
    if (!current) throw apiErrors.notFound(resource, name);
    this.checkPreconditions(resource, current, options.preconditions);

    const grace = this.gracePeriod(resource, current, options.gracePeriodSeconds);
    if (grace > 0 || (current.metadata.finalizers ?? []).length > 0) {
      return this.write(resource, this.markDeleting(current, grace), current);
    }
    const removed = this.remove(resource, current);
    if (resource.kind === 'Pod') return removed;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: resource.group, kind: resource.resource, uid: current.metadata.uid },
    };
  }

  /**
   * A watch of one resource (in one namespace, or all), filtered by selectors. Without a
   * resourceVersion (or with "0") it starts with ADDED for every object there now; with one, it
   * replays every change after it. An object that stops (starts) matching the selectors arrives
   * as DELETED (ADDED), as from the apiserver's watch cache.
   */
  watch(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    options: Selectors & { resourceVersion?: string; signal?: AbortSignal },
  ): FakeWatch<unknown> {
    const resource = this.resource(gvr);
    const key = resourceKey(resource);
    const matches = this.matcher(resource, options);
    const from = options.resourceVersion;
    if (from && from !== '0') {
      const revision = Number(from);
      if (!Number.isSafeInteger(revision) || revision < 0) {
        throw apiErrors.badRequest(`invalid resource version: ${from}`);
      }
      if (revision < this.compactedRevision) {
        throw apiErrors.expired(
          `too old resource version: ${revision} (${this.compactedRevision})`,
        );
      }
    }
    const watcher: Watcher = {
      key,
      namespace,
      matches,
      watch: new FakeWatch<unknown>(() => this.watchers.delete(watcher), options.signal),
    };
    if (from && from !== '0') {
      for (const change of this.history) {
        if (change.revision > Number(from)) deliver(watcher, change);
      }
    } else {
      for (const object of [...this.bucket(resource).values()].sort(byNamespaceAndName)) {
        if (
          (namespace === undefined || object.metadata.namespace === namespace) &&
          matches(object)
        ) {
          watcher.watch.push({ type: 'ADDED', object: structuredClone(object) });
        }
      }
    }
    if (!watcher.watch.isStopped) this.watchers.add(watcher);
    return watcher.watch;
  }

  /** Forgets history up to now: a watch from an older resourceVersion then fails with 410. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history = [];
  }

  // --- writes -----------------------------------------------------------------------------

  /** Sets the deletionTimestamp grace seconds ahead; a later, shorter grace moves it forward. */
  private markDeleting(current: Stored, grace: number): Stored {
    const next = structuredClone(current);
    const meta = next.metadata;
    const held = meta.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined || (held !== undefined && grace < held)) {
      meta.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    }
    return next;
  }

  /** Stores `next` over `current`: no-op writes change nothing, a finished deletion removes. */
  private write(resource: TrackedResource, next: Stored, current: Stored): Stored {
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      !this.isGracefullyTerminating(resource, next)
    ) {
      return this.remove(resource, next);
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (semanticEqual(next, current)) return structuredClone(current);
    next.metadata.resourceVersion = String(++this.revision);
    this.commit(resource, 'MODIFIED', next, current);
    return structuredClone(next);
  }

  private remove(resource: TrackedResource, current: Stored): Stored {
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.commit(resource, 'DELETED', gone, current);
    return structuredClone(gone);
  }

  private commit(
    resource: TrackedResource,
    type: ChangeType,
    object: Stored,
    previous: Stored | undefined,
  ): void {
    deepFreeze(object);
    const bucket = this.bucket(resource);
    const id = objectId(object.metadata.namespace, object.metadata.name ?? '');
    if (type === 'DELETED') bucket.delete(id);
    else bucket.set(id, object);
    const change: Change = {
      revision: this.revision,
      key: resourceKey(resource),
      type,
      object,
      previous,
    };
    this.history.push(change);
    for (const watcher of this.watchers) deliver(watcher, change);
  }

  /** What a PUT may not change: identity, creation, generation, deletion and (here) status. */
  private withServerFields(resource: TrackedResource, incoming: Stored, current: Stored): Stored {
    const next = incoming;
    const meta = next.metadata;
    const prev = current.metadata;
    for (const field of serverOwnedMetadata) {
      if (prev[field] === undefined) Reflect.deleteProperty(meta, field);
      else Object.assign(meta, { [field]: prev[field] });
    }
    if (hasStatus(resource)) {
      if (current.status === undefined) delete next.status;
      else next.status = structuredClone(current.status);
    }
    if (!semanticEqual(desiredState(next), desiredState(current))) {
      meta.generation = (prev.generation ?? 0) + 1;
    }
    next.apiVersion ??= current.apiVersion;
    next.kind ??= current.kind;
    return next;
  }

  private checkResourceVersion(
    resource: TrackedResource,
    current: Stored,
    wanted: string | undefined,
  ): void {
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw apiErrors.staleResourceVersion(resource, current.metadata.name ?? '');
    }
  }

  private checkPreconditions(
    resource: TrackedResource,
    current: Stored,
    preconditions: TrackerDeleteOptions['preconditions'],
  ): void {
    const name = current.metadata.name ?? '';
    const { uid, resourceVersion } = preconditions ?? {};
    if (uid !== undefined && uid !== current.metadata.uid) {
      throw apiErrors.conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    }
    if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion) {
      throw apiErrors.conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    }
  }

  /** A pod bound to a node and not finished is deleted gracefully; everything else at once. */
  private gracePeriod(
    resource: TrackedResource,
    object: Stored,
    requested: number | undefined,
  ): number {
    if (resource.kind !== 'Pod') return 0;
    const pod = object as {
      spec?: { nodeName?: string; terminationGracePeriodSeconds?: number };
      status?: { phase?: string };
    };
    if (!pod.spec?.nodeName) return 0;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
    return Math.max(
      requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS,
      0,
    );
  }

  private isGracefullyTerminating(resource: TrackedResource, object: Stored): boolean {
    return resource.kind === 'Pod' && (object.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  // --- lookups ----------------------------------------------------------------------------

  /** The resource for `gvr`, remembering what objects taught about a custom one. */
  private resource(gvr: GroupVersionResource): TrackedResource {
    const resolved = resolveResource(gvr);
    return this.resources.get(resourceKey(resolved)) ?? resolved;
  }

  /** A custom resource's kind, from the first object that names it. */
  private learn(resource: TrackedResource, object: KubeObject): void {
    const key = resourceKey(resource);
    if (this.resources.has(key) || resource.kind !== undefined || !object.kind) return;
    this.resources.set(key, { ...resource, kind: object.kind });
  }

  private find(
    resource: TrackedResource,
    namespace: string | undefined,
    name: string,
  ): Stored | undefined {
    const ns = resource.namespaced === false ? undefined : namespace;
    return this.bucket(resource).get(objectId(ns, name));
  }

  private bucket(resource: TrackedResource): Map<string, Stored> {
    const key = resourceKey(resource);
    let bucket = this.objects.get(key);
    if (!bucket) this.objects.set(key, (bucket = new Map<string, Stored>()));
    return bucket;
  }

  /** The namespace a create lands in: the request's, which an object's own must not contradict. */
  private placeIn(
    resource: TrackedResource,
    namespace: string | undefined,
    meta: ObjectMeta,
  ): void {
    if (resource.namespaced === false) {
      delete meta.namespace;
      return;
    }
    if (namespace && meta.namespace && meta.namespace !== namespace) {
      throw apiErrors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const ns = namespace ?? meta.namespace;
    if (ns) meta.namespace = ns;
    else if (resource.namespaced)
      throw apiErrors.badRequest('a namespace is required to create this resource');
  }

  private matcher(resource: TrackedResource, selectors: Selectors): (object: Stored) => boolean {
    const kind = resource.kind ?? '';
    let labels: ReturnType<typeof parseSelector> | undefined;
    let fields: KindFieldSelector | undefined;
    try {
      if (selectors.labelSelector) labels = parseSelector(selectors.labelSelector);
    } catch (err) {
      if (err instanceof SelectorParseError) {
        throw apiErrors.badRequest(`invalid labelSelector: ${err.message}`);
      }
      throw err;
    }
    try {
      if (selectors.fieldSelector) {
        fields =
          resourceOfObject({ apiVersion: resource.apiVersion, kind }) !== undefined
            ? fieldSelectorForKind(kind, selectors.fieldSelector)
            : new KindFieldSelector(kind, parseFieldSelector(selectors.fieldSelector));
      }
    } catch (err) {
      if (err instanceof FieldSelectorError) throw apiErrors.badRequest(err.message);
      throw err;
    }
    return (object) =>
      (labels?.matches(object.metadata.labels ?? {}) ?? true) && (fields?.matches(object) ?? true);
  }

  /** A private, mutable copy of what a caller handed in. */
  private copyIn(object: KubeObject): Stored {
    const copy = structuredClone(object) as Stored;
    copy.metadata = copy.metadata ?? {};
    return copy;
  }
}

function deliver(watcher: Watcher, change: Change): void {
  if (change.key !== watcher.key) return;
  const inScope = (o: Stored | undefined): o is Stored =>
    o !== undefined &&
    (watcher.namespace === undefined || o.metadata.namespace === watcher.namespace);
  const now = inScope(change.object) && watcher.matches(change.object);
  const before = inScope(change.previous) && watcher.matches(change.previous);
  let type: ChangeType | undefined;
  if (change.type === 'MODIFIED')
    type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
  else type = now ? change.type : undefined;
  if (type) watcher.watch.push({ type, object: structuredClone(change.object) });
}

function hasStatus(resource: TrackedResource): boolean {
  return resource.subresources.includes('status');
}

/** Metadata a PUT cannot change: it always comes from the stored object. */
const serverOwnedMetadata = [
  'name',
  'namespace',
  'uid',
  'creationTimestamp',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

const notDesiredState = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** What metadata.generation counts changes of: everything but metadata and status. */
function desiredState(object: Stored): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !notDesiredState.has(k)));
}

function objectId(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function byNamespaceAndName(a: Stored, b: Stored): number {
  const left = objectId(a.metadata.namespace, a.metadata.name ?? '');
  const right = objectId(b.metadata.namespace, b.metadata.name ?? '');
  return left < right ? -1 : left > right ? 1 : 0;
}
