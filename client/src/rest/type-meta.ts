// apiVersion and kind on what a typed client sends: the server needs them in the body, and a
// caller writing `client.pods(ns).create({ metadata, spec })` should not have to spell them.
import type { KubeObject } from './resource-client.js';

export interface TypeMeta {
  readonly apiVersion: string;
  readonly kind: string;
}

/** `object`, with apiVersion and kind from `typeMeta` when it came without them. */
export function withTypeMeta<T extends KubeObject>(object: T, typeMeta: TypeMeta | undefined): T {
  if (!typeMeta || (object.apiVersion && object.kind)) return object;
  return {
    ...object,
    apiVersion: object.apiVersion || typeMeta.apiVersion,
    kind: object.kind || typeMeta.kind,
  };
}
