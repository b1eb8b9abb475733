// The part every builder shares: metadata. Each call changes the object being built and returns
// the builder, so a test reads as one chain that states only the facts it is about; obj() hands
// out a fresh deep copy, so one builder can stamp out several independent objects.
import type { ObjectMeta, OwnerReference, Time } from '../../types/index.js';

/** What `controlledBy` needs from an owner: any object built here or read from a lister. */
export interface OwnerObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
}

/** A time as tests like to write it: a Date, epoch milliseconds, or an RFC 3339 string. */
export type TimeInput = Date | number | Time;

export abstract class ObjectBuilder<T extends { metadata: ObjectMeta }> {
  protected constructor(protected readonly object: T) {}

  name(name: string): this {
    this.object.metadata.name = name;
    return this;
  }

  /** The server picks the name: prefix plus a suffix (any name set so far is dropped). */
  generateName(prefix: string): this {
    delete this.object.metadata.name;
    this.object.metadata.generateName = prefix;
    return this;
  }

  namespace(namespace: string): this {
    this.object.metadata.namespace = namespace;
    return this;
  }

  uid(uid: string): this {
    this.object.metadata.uid = uid;
    return this;
  }

  resourceVersion(resourceVersion: string): this {
    this.object.metadata.resourceVersion = resourceVersion;
    return this;
  }

  generation(generation: number): this {
    this.object.metadata.generation = generation;
    return this;
  }

  /** Adds to (or overrides within) the labels set so far. */
  labels(labels: Readonly<Record<string, string>>): this {
    this.object.metadata.labels = { ...this.object.metadata.labels, ...labels };
    return this;
  }

  /** Adds to (or overrides within) the annotations set so far. */
  annotations(annotations: Readonly<Record<string, string>>): this {
    this.object.metadata.annotations = { ...this.object.metadata.annotations, ...annotations };
    return this;
  }

  finalizers(...finalizers: string[]): this {
    (this.object.metadata.finalizers ??= []).push(...finalizers);
    return this;
  }

  ownerReference(reference: OwnerReference): this {
    (this.object.metadata.ownerReferences ??= []).push({ ...reference });
    return this;
  }

  /**
   * Owned by `owner` as its controller (controller and blockOwnerDeletion true), the way a
   * ReplicaSet owns its pods. The owner needs a name and a uid; apiVersion and kind too.
   */
  controlledBy(owner: OwnerObject): this {
    const { name, uid } = owner.metadata;
    if (!owner.apiVersion || !owner.kind || !name || !uid) {
      throw new Error('controlledBy: the owner needs apiVersion, kind, metadata.name and .uid');
    }
    return this.ownerReference({
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name,
      uid,
      controller: true,
      blockOwnerDeletion: true,
    });
  }

  creationTimestamp(time: TimeInput): this {
    this.object.metadata.creationTimestamp = rfc3339(time);
    return this;
  }

  /** Marks the object as being deleted (finalizers or a grace period still hold it). */
  deletionTimestamp(time: TimeInput, gracePeriodSeconds?: number): this {
    this.object.metadata.deletionTimestamp = rfc3339(time);
    if (gracePeriodSeconds !== undefined) {
      this.object.metadata.deletionGracePeriodSeconds = gracePeriodSeconds;
    }
    return this;
  }

  /** Any other metadata, merged over what is set. */
  meta(meta: Partial<ObjectMeta>): this {
    Object.assign(this.object.metadata, structuredClone(meta));
    return this;
  }

  /** A fresh copy of the object built so far; later calls do not change it. */
  obj(): T {
    const object = structuredClone(this.object);
    this.complete(object);
    return object;
  }

  /** Fills what a valid object needs and the test left out (a default container, a port). */
  protected complete(_object: T): void {}
}

/** metav1.Time: whole seconds in UTC, as the apiserver writes it. */
export function rfc3339(time: TimeInput): Time {
  if (typeof time === 'string') return time;
  const ms = typeof time === 'number' ? time : time.getTime();
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
