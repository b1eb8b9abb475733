// The generic registry: create, get, update and delete for any kind, over the Storage contract.
// Kinds differ only through their Strategy. The storage protocol lives here and only here:
// resourceVersion is the key's modRevision, every write is a compare-and-swap on it, and an
// update without a resourceVersion is retried on conflict (Kubernetes' GuaranteedUpdate) while
// one with a stale resourceVersion is the client's 409.
import { randomUUID } from 'node:crypto';
import type { Clock, DeleteOptions, KindInfo } from '@skiff/api';
import { AdmissionChain } from '../admission/chain.js';
import { checkCreate, checkUpdate, structuredWithDefaults } from '../admission/object-checks.js';
import type { AdmissionAttributes, Operation } from '../admission/types.js';
import { apiErrors, type GroupResource } from '@skiff/api';
import {
  isStorageError,
  listPrefix,
  objectKey,
  type KeyValue,
  type Storage,
} from '../storage/index.js';
import type { WatchCache } from '../watchcache/index.js';
import { type ApiObject, cloneObject } from './api-object.js';
import { dropUnknownBuiltinFields } from './builtin-unknown-fields.js';
import { asWritten, decodeObject, encodeObject, sameEncoding } from './codec.js';
import { checkPreconditions, finalizersAfterDelete } from './delete-options.js';
import { GENERATE_NAME_ATTEMPTS, generateName } from './generate-name.js';
import { desiredStateChanged } from './generation.js';
import {
  type FieldManagerRequest,
  type FieldType,
  recordApply,
  recordUpdate,
  rootType,
} from '../fieldmanager/index.js';
import { toApiError, translated } from './storage-errors.js';
import type { Strategy, StrategyEnv } from './strategy.js';
import { rfc3339 } from './timestamps.js';

export interface RegistryDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly admission: AdmissionChain;
  /** Serves lists at resourceVersion "0" and watches; see ./list-watch.ts. */
  readonly cache?: WatchCache<ApiObject>;
  /**
   * The resource's name in storage keys; default kind.resource. Custom resources use
   * `<group>/<plural>`, so a CRD can never share keys with a built-in resource.
   */
  readonly storageResource?: string;
  /** Object ⇄ stored bytes; default ./codec.ts. Custom resources convert between versions. */
  readonly codec?: ObjectCodec;
}

/**
 * Object ⇄ stored bytes. decode(encode(obj)) must give obj back (with the resourceVersion filled
 * in): after a write the registry answers with the object it encoded instead of decoding the
 * bytes it has just produced (see ./codec.ts's asWritten).
 */
export interface ObjectCodec {
  encode(obj: ApiObject): Uint8Array;
  decode(kv: KeyValue): ApiObject;
}

const plainCodec: ObjectCodec = { encode: encodeObject, decode: decodeObject };

/**
 * What a write does about fields the kind does not know (the fieldValidation query parameter):
 * given their paths, it throws to refuse the write (Strict) or notes them (Warn). Called only
 * when there are unknown fields: those a custom resource's schema prunes, or those a built-in
 * kind's struct does not have (./builtin-unknown-fields.ts).
 */
export type UnknownFieldsCheck = (paths: readonly string[]) => void;

export interface CreateOptions {
  readonly dryRun?: boolean;
  readonly checkUnknownFields?: UnknownFieldsCheck;
  /**
   * The object came from a decoder that keeps only the kind's own fields (protobuf), as Go's
   * decoding into the struct does: there is nothing unknown to look for, so the walk is skipped.
   */
  readonly knownFieldsOnly?: boolean;
  /** Who writes: recorded in metadata.managedFields. Absent: managedFields are left as they are. */
  readonly fieldManager?: FieldManagerRequest;
}

export interface UpdateRequest {
  /**
   * The object the client wants, computed from the current one (a PUT ignores it, a PATCH or a
   * subresource merges into it). Re-run on every retry, so it must not have side effects.
   */
  readonly desired: (current: ApiObject) => ApiObject | Promise<ApiObject>;
  /**
   * The resourceVersion the client conditioned the write on (a PUT body's, or one a patch sets):
   * a different stored version is a 409. Undefined: unconditional, retried on conflict.
   */
  readonly resourceVersion?: string;
  /** Set for subresource writes: the main resource's update rules are skipped. */
  readonly subresource?: string;
  /**
   * The change is the server's own, already checked (a binding sets spec.nodeName, which the
   * pod's update rules forbid users to change): defaulting, the structural check and the kind's
   * update validation are skipped, so whatever `desired` adds must be checked by its caller.
   */
  readonly trusted?: boolean;
  /** For PUT on a missing object of a kind that allows it: the body to create. */
  readonly createIfMissing?: () => ApiObject;
  readonly dryRun?: boolean;
  readonly checkUnknownFields?: UnknownFieldsCheck;
  /** `desired` returns what a protobuf body held: see CreateOptions.knownFieldsOnly. */
  readonly knownFieldsOnly?: boolean;
  /** Who writes: recorded in metadata.managedFields. Absent: managedFields are left as they are. */
  readonly fieldManager?: FieldManagerRequest;
}

export interface DeleteRequest extends Omit<DeleteOptions, 'dryRun'> {
  readonly dryRun?: boolean;
}

export interface DeleteResult {
  /** The object as last stored, or as it is now while graceful deletion or finalizers hold it. */
  readonly obj: ApiObject;
  /** True when the object is gone from the store; false while it lingers with a deletionTimestamp. */
  readonly deleted: boolean;
}

/** Unconditional updates retry on conflict; past this many attempts the client gets the 409. */
const MAX_UPDATE_ATTEMPTS = 64;

export class Registry {
  readonly groupResource: GroupResource;
  private readonly env: StrategyEnv;
  private readonly codec: ObjectCodec;
  private readonly storageResource: string;
  private newestWrite = 0;

  constructor(
    readonly kind: KindInfo,
    readonly strategy: Strategy,
    private readonly deps: RegistryDeps,
  ) {
    this.groupResource = { group: kind.group, resource: kind.resource };
    this.env = { clock: deps.clock };
    this.codec = deps.codec ?? plainCodec;
    this.storageResource = deps.storageResource ?? kind.resource;
  }

  /** A stored value as an object of this registry's kind and version. */
  decode(kv: KeyValue): ApiObject {
    return this.codec.decode(kv);
  }

  get storage(): Storage {
    return this.deps.storage;
  }

  get cache(): WatchCache<ApiObject> | undefined {
    return this.deps.cache;
  }

  /**
   * The newest revision this registry created or updated an object at. A reader of the watch
   * cache that must see this server's own writes (read-your-writes) reads storage until the
   * cache has reached it (../admission/namespace-lookup.ts), or waits for the cache, which is
   * sure to get there (./list-watch.ts).
   */
  get newestWriteRevision(): number {
    return this.newestWrite;
  }

  /** The kind's shape as server-side apply reads it (a custom resource's from its schema). */
  fieldType(): FieldType {
    return rootType(this.kind.apiVersion, this.kind.kind, this.strategy.structuralSchema);
  }

  /** What a write to /status stores: the kind's rule, or only the client's status. */
  statusUpdate(requested: ApiObject, current: ApiObject): ApiObject {
    const rule = this.strategy.prepareForStatusUpdate;
    return rule ? rule(requested, current) : { ...current, status: requested.status };
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.storageResource, this.kind.namespaced ? namespace : undefined, name);
  }

  /** Lists one namespace, or every namespace (and cluster-scoped kinds) when undefined. */
  prefix(namespace: string | undefined): string {
    return listPrefix(this.storageResource, this.kind.namespaced ? namespace : undefined);
  }

  async find(namespace: string | undefined, name: string): Promise<ApiObject | undefined> {
    const kv = await this.getKv(namespace, name);
    return kv && this.codec.decode(kv);
  }

  async get(namespace: string | undefined, name: string): Promise<ApiObject> {
    const obj = await this.find(namespace, name);
    if (!obj) throw apiErrors.notFound(this.groupResource, name);
    return obj;
  }

  private getKv(namespace: string | undefined, name: string): Promise<KeyValue | undefined> {
    return translated(this.groupResource, name, () =>
      this.deps.storage.get(this.key(namespace, name)),
    );
  }

  // --- create -----------------------------------------------------------------------------

  async create(input: ApiObject, options: CreateOptions = {}): Promise<ApiObject> {
    const now = this.deps.clock.now();
    const obj = this.normalize(input, options);
    const meta = obj.metadata;
    // Server-owned fields a client may have copied from another object.
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    meta.generation = 1;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName ?? '');
    this.strategy.prepareForCreate(obj, this.env);
    // Recorded before admission, as kube-apiserver does: what admission plugins add is not the
    // writer's.
    this.recordManagedFields(undefined, obj, options.fieldManager, undefined, now);
    // Mutating admission changes `obj` in place. It is already this request's own copy
    // (normalize made it), so no further copy is needed before validation and the write.
    await this.deps.admission.admit(this.attributes('CREATE', obj, undefined, options.dryRun));
    checkCreate(this.kind, obj, this.strategy.validate?.(obj));
    await this.deps.admission.validate(this.attributes('CREATE', obj, undefined, options.dryRun));
    if (options.dryRun) return obj;

    const effects = await this.strategy.beforeCreate(obj, this.env);
    try {
      for (let attempt = 1; ; attempt++) {
        const name = obj.metadata.name ?? '';
        try {
          const kv = await this.deps.storage.create(
            this.key(obj.metadata.namespace, name),
            this.codec.encode(obj),
          );
          await effects.commit();
          return this.written(obj, kv);
        } catch (err) {
          // A generated name that is taken is the server's problem, not the client's: pick another.
          if (isStorageError(err, 'KeyExists') && generated && attempt < GENERATE_NAME_ATTEMPTS) {
            obj.metadata.name = generateName(obj.metadata.generateName ?? '');
            continue;
          }
          throw toApiError(err, this.groupResource, name);
        }
      }
    } catch (err) {
      await effects.rollback();
      throw err;
    }
  }

  /** Decoding; `checkUnknownFields` hears of the fields it drops. */
  private normalize(
    obj: ApiObject,
    {
      checkUnknownFields,
      knownFieldsOnly,
    }: Pick<CreateOptions, 'checkUnknownFields' | 'knownFieldsOnly'>,
  ): ApiObject {
    if (this.strategy.normalize) return this.strategy.normalize(obj, checkUnknownFields);
    const typed = structuredWithDefaults(this.kind, obj);
    if (knownFieldsOnly) return typed;
    const unknown = dropUnknownBuiltinFields(this.kind, typed);
    if (unknown.length > 0) checkUnknownFields?.(unknown);
    return typed;
  }

  // --- update -----------------------------------------------------------------------------

  async update(
    namespace: string | undefined,
    name: string,
    request: UpdateRequest,
  ): Promise<{ obj: ApiObject; created: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 1; ; attempt++) {
      const kv = await this.getKv(namespace, name);
      if (!kv) {
        if (request.createIfMissing && request.subresource === undefined) {
          // Server-side apply creates any kind; a PUT only kinds that allow it.
          if (this.strategy.allowCreateOnUpdate || request.fieldManager?.applied) {
            const created = await this.create(request.createIfMissing(), request);
            return { obj: created, created: true };
          }
        }
        throw apiErrors.notFound(this.groupResource, name);
      }
      const current = this.codec.decode(kv);
      const preconditionRv = request.resourceVersion;
      if (preconditionRv && preconditionRv !== current.metadata.resourceVersion) {
        throw apiErrors.staleResourceVersion(this.groupResource, name);
      }
      // The request's own copy: decoding the bytes again costs about half a structuredClone.
      const wanted = await request.desired(this.codec.decode(kv));
      const next = await this.prepareUpdate(wanted, current, request);

      if (this.shouldDeleteDuringUpdate(next)) {
        if (request.dryRun) return { obj: next, created: false };
        const deleted = await this.deleteStored(kv, current);
        if (deleted) return { obj: next, created: false };
        continue;
      }
      if (request.dryRun) return { obj: next, created: false };
      // Allocations an update needs (a service turned NodePort) are taken before it is
      // encoded, since they fill fields in; they are given back if the write does not land.
      const effects = await this.strategy.beforeUpdate(next, current, this.env);
      const bytes = this.codec.encode(next);
      // An update that changes nothing is not written, so it neither bumps the
      // resourceVersion nor wakes every watcher.
      if (sameEncoding(bytes, kv.value)) {
        await effects.rollback();
        return { obj: current, created: false };
      }
      try {
        const updated = await this.deps.storage.update(key, bytes, kv.modRevision);
        await effects.commit();
        return { obj: this.written(next, updated), created: false };
      } catch (err) {
        await effects.rollback();
        const raced = isStorageError(err, 'Conflict') || isStorageError(err, 'NotFound');
        if (!raced) throw toApiError(err, this.groupResource, name);
        if (preconditionRv || attempt >= MAX_UPDATE_ATTEMPTS) {
          throw apiErrors.staleResourceVersion(this.groupResource, name);
        }
      }
    }
  }

  private async prepareUpdate(
    wanted: ApiObject,
    current: ApiObject,
    request: UpdateRequest,
  ): Promise<ApiObject> {
    if (
      (wanted.apiVersion !== undefined && wanted.apiVersion !== this.kind.apiVersion) ||
      (wanted.kind !== undefined && wanted.kind !== this.kind.kind)
    ) {
      throw apiErrors.badRequest(
        `the object's kind cannot change: ${this.kind.resource} holds ${this.kind.kind} (${this.kind.apiVersion})`,
      );
    }
    const typed = { ...wanted, apiVersion: this.kind.apiVersion, kind: this.kind.kind };
    // A trusted change is the server's own edit of a stored (so already defaulted and checked)
    // object, as Kubernetes' binding is a plain storage update: nothing to default or re-check.
    const next = request.trusted ? typed : this.normalize(typed, request);
    // Server-owned metadata always comes from the stored object.
    const meta = next.metadata;
    const prev = current.metadata;
    meta.name = prev.name;
    if (this.kind.namespaced) meta.namespace = prev.namespace;
    meta.uid = prev.uid;
    meta.creationTimestamp = prev.creationTimestamp;
    meta.generation = prev.generation;
    if (prev.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    else meta.deletionTimestamp = prev.deletionTimestamp;
    if (prev.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    else meta.deletionGracePeriodSeconds = prev.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    if (request.subresource === undefined) this.strategy.prepareForUpdate(next, current);
    this.recordManagedFields(
      current,
      next,
      request.fieldManager,
      request.subresource,
      this.deps.clock.now(),
    );
    // As in create: `next` is this request's own copy, so admission may change it in place.
    await this.deps.admission.admit(
      this.attributes('UPDATE', next, current, request.dryRun, request.subresource),
    );
    const changed = this.strategy.desiredStateChanged ?? desiredStateChanged;
    // A status write is never a new desired state, whatever metadata its kind lets it carry.
    if (request.subresource !== 'status' && changed(next, current)) {
      next.metadata.generation = (prev.generation ?? 0) + 1;
    }
    if (!request.trusted) checkUpdate(this.kind, next, current, this.strategy.validate?.(next));
    await this.deps.admission.validate(
      this.attributes('UPDATE', next, current, request.dryRun, request.subresource),
    );
    return next;
  }

  private recordManagedFields(
    live: ApiObject | undefined,
    next: ApiObject,
    request: FieldManagerRequest | undefined,
    subresource: string | undefined,
    now: number,
  ): void {
    if (request === undefined) return;
    const ctx = {
      request,
      apiVersion: this.kind.apiVersion,
      kind: this.kind.kind,
      subresource,
      now: rfc3339(now),
      schema: this.strategy.structuralSchema,
    };
    if (request.applied) recordApply(live, next, ctx, request.applied);
    else recordUpdate(live, next, ctx);
  }

  /**
   * A deleting object goes once nothing holds it: no finalizers, and no grace period still
   * running (a pod being gracefully deleted waits for its kubelet even with no finalizers).
   */
  private shouldDeleteDuringUpdate(obj: ApiObject): boolean {
    const meta = obj.metadata;
    return (
      meta.deletionTimestamp !== undefined &&
      (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
      (meta.finalizers ?? []).length === 0 &&
      !this.strategy.hasPendingFinalizers(obj)
    );
  }

  // --- delete -----------------------------------------------------------------------------

  async delete(
    namespace: string | undefined,
    name: string,
    options: DeleteRequest,
  ): Promise<DeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const kv = await this.getKv(namespace, name);
      if (!kv) throw apiErrors.notFound(this.groupResource, name);
      const current = this.codec.decode(kv);
      checkPreconditions(this.groupResource, current, options);
      await this.deps.admission.validate(
        this.attributes('DELETE', undefined, current, options.dryRun),
      );

      const next = cloneObject(current);
      const finalizers = finalizersAfterDelete(current.metadata.finalizers ?? [], options);
      if (finalizers.length > 0) next.metadata.finalizers = finalizers;
      else delete next.metadata.finalizers;
      const grace = this.strategy.gracePeriodSeconds(current, options.gracePeriodSeconds);
      this.markDeleting(next, grace);

      if (!this.shouldDeleteDuringUpdate(next)) {
        const bytes = this.codec.encode(next);
        if (sameEncoding(bytes, kv.value)) return { obj: current, deleted: false };
        if (options.dryRun) return { obj: next, deleted: false };
        try {
          const updated = await this.deps.storage.update(kv.key, bytes, kv.modRevision);
          return { obj: this.written(next, updated), deleted: false };
        } catch (err) {
          if (!isStorageError(err, 'Conflict') || attempt >= MAX_UPDATE_ATTEMPTS) {
            throw toApiError(err, this.groupResource, name);
          }
          continue;
        }
      }
      if (options.dryRun) return { obj: current, deleted: true };
      if (await this.deleteStored(kv, current)) return { obj: current, deleted: true };
    }
  }

  /**
   * Sets deletionTimestamp (now + grace) on the first delete; a later delete may only shorten
   * the grace period, which is how the kubelet's grace-0 delete finishes a pod.
   */
  private markDeleting(obj: ApiObject, grace: number): void {
    const meta = obj.metadata;
    const now = this.deps.clock.now();
    const shortens =
      meta.deletionGracePeriodSeconds !== undefined && grace < meta.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined || shortens) {
      meta.deletionTimestamp = rfc3339(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    }
    this.strategy.onDeletionStarted(obj);
  }

  /** Compare-and-delete; false when the object changed meanwhile (the caller retries). */
  private async deleteStored(kv: KeyValue, obj: ApiObject): Promise<boolean> {
    const name = obj.metadata.name ?? '';
    try {
      await this.deps.storage.delete(kv.key, { expectedModRevision: kv.modRevision });
    } catch (err) {
      if (isStorageError(err, 'Conflict')) return false;
      throw toApiError(err, this.groupResource, name);
    }
    await this.strategy.afterDelete(obj, this.env);
    return true;
  }

  /** The object just written as `kv`, as a read would return it; notes the revision. */
  private written(obj: ApiObject, kv: KeyValue): ApiObject {
    if (kv.modRevision > this.newestWrite) this.newestWrite = kv.modRevision;
    return asWritten(obj, kv);
  }

  private attributes(
    operation: Operation,
    object: ApiObject | undefined,
    oldObject: ApiObject | undefined,
    dryRun = false,
    subresource?: string,
  ): AdmissionAttributes {
    const meta = object?.metadata ?? oldObject?.metadata;
    return {
      operation,
      kind: this.kind,
      subresource,
      namespace: meta?.namespace,
      name: meta?.name ?? '',
      object,
      oldObject,
      dryRun,
    };
  }
}
