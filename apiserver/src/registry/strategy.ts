// A strategy is everything that makes one kind different from another inside the generic
// registry (Kubernetes' RESTCreateStrategy/RESTUpdateStrategy/RESTGracefulDeleteStrategy rolled
// into one). The registry owns the storage protocol — keys, compare-and-swap, retries,
// finalizers — and asks the strategy only kind-specific questions.
import type { Clock, FieldError, JSONSchemaProps, Scale } from '@skiff/api';
import type { ApiObject } from './api-object.js';

/** Undo for a side effect taken before a write (an allocated IP), run if the write fails. */
export interface WriteEffects {
  /** The write failed or was a dry run: give back what was taken. */
  rollback(): Promise<void>;
  /** The write succeeded: release what the old object held and the new one no longer does. */
  commit(): Promise<void>;
}

export const noEffects: WriteEffects = {
  rollback: async () => undefined,
  commit: async () => undefined,
};

export interface StrategyEnv {
  readonly clock: Clock;
}

export interface Strategy {
  /** PUT on a missing object creates it (endpoints, leases, events do; most kinds 404). */
  readonly allowCreateOnUpdate: boolean;
  /** DELETE answers with the deleted object rather than a Success Status (pods, namespaces). */
  readonly returnDeletedObject: boolean;
  /** Reset what a client may not set on create (usually status) and fill server-owned fields. */
  prepareForCreate(obj: ApiObject, env: StrategyEnv): void;
  /** PUT/PATCH on the main resource: keep what only subresources may change (status, …). */
  prepareForUpdate(next: ApiObject, prev: ApiObject): void;
  /**
   * PUT/PATCH on /status: the object to store, from what the client sent and what is stored
   * (Kubernetes' status strategy). Absent: the client's status on the stored object.
   */
  readonly prepareForStatusUpdate?: (requested: ApiObject, current: ApiObject) => ApiObject;
  /** Seconds a DELETE waits before the object goes; 0 deletes it at once (most kinds). */
  gracePeriodSeconds(obj: ApiObject, requested: number | undefined): number;
  /** Marks an object as being deleted (namespaces: phase Terminating). */
  onDeletionStarted(obj: ApiObject): void;
  /** Kind-specific holds on deletion besides metadata.finalizers (namespaces: spec.finalizers). */
  hasPendingFinalizers(obj: ApiObject): boolean;
  /** Side effects a create needs before it is written (service cluster IPs, node ports). */
  beforeCreate(obj: ApiObject, env: StrategyEnv): Promise<WriteEffects>;
  beforeUpdate(next: ApiObject, prev: ApiObject, env: StrategyEnv): Promise<WriteEffects>;
  /** Runs once the object is gone from the store: release what it held. */
  afterDelete(obj: ApiObject, env: StrategyEnv): Promise<void>;
  /**
   * What decoding does before anything else looks at an incoming object: the shape check and
   * defaulting (custom resources: pruning and defaulting from their CRD's schema). Throws a 422.
   * It tells `onUnknownFields` the paths of the fields it drops because the kind does not know
   * them (for fieldValidation=Warn/Strict), before anything else can fail. Absent: the built-in
   * kind's JSON schema and defaulter, which never report unknown fields, because the schemas
   * here do not list every Kubernetes field.
   */
  readonly normalize?: (
    obj: ApiObject,
    onUnknownFields?: (paths: readonly string[]) => void,
  ) => ApiObject;
  /** Rules beyond the kind's built-in validation (custom resources: their CRD's schema). */
  readonly validate?: (obj: ApiObject) => FieldError[];
  /**
   * Whether an update changes what the user asked for, which bumps metadata.generation.
   * Absent: any change outside metadata and status (./generation.ts).
   */
  readonly desiredStateChanged?: (next: ApiObject, prev: ApiObject) => boolean;
  /** How the scale subresource reads and writes replicas. Absent: spec.replicas, status.replicas. */
  readonly scale?: ScaleAdapter;
  /**
   * A custom resource's schema (its version's openAPIV3Schema): server-side apply and
   * managedFields take its list and map types (x-kubernetes-list-type, …) from it.
   */
  readonly structuralSchema?: JSONSchemaProps;
}

/** The autoscaling/v1 Scale view of an object, and the way back. */
export interface ScaleAdapter {
  scaleOf(obj: ApiObject): Scale;
  withReplicas(obj: ApiObject, replicas: number): ApiObject;
}

/** The behaviour of a kind with nothing special: every strategy starts from this. */
export function defaultStrategy(hasStatusSubresource: boolean): Strategy {
  return {
    allowCreateOnUpdate: false,
    returnDeletedObject: false,
    prepareForCreate: (obj) => {
      // Kinds with a status subresource start with an empty status: status is reported by
      // controllers, never set by the creator.
      if (hasStatusSubresource) delete obj.status;
    },
    prepareForUpdate: (next, prev) => {
      if (!hasStatusSubresource) return;
      if (prev.status === undefined) delete next.status;
      else next.status = prev.status;
    },
    gracePeriodSeconds: () => 0,
    onDeletionStarted: () => undefined,
    hasPendingFinalizers: () => false,
    beforeCreate: async () => noEffects,
    beforeUpdate: async () => noEffects,
    afterDelete: async () => undefined,
  };
}
