// What the tests and your code agree on. Do not change this file.
import type { Manager } from '@skiff/client';

/** A ConfigMap in the source namespace with this label set to "true" is replicated. */
export const REPLICATE_LABEL = 'replicator.skiff.dev/replicate';
/** Every copy carries this label, set to the source namespace: it marks the copies as yours. */
export const REPLICA_OF_LABEL = 'replicator.skiff.dev/replica-of';

export interface ReplicatorOptions {
  /** Where the ConfigMaps to replicate live. */
  readonly sourceNamespace: string;
}

/** Registers the replicator's controller(s) with `manager` (which the caller starts). */
export type AddReplicator = (manager: Manager, options: ReplicatorOptions) => void;
