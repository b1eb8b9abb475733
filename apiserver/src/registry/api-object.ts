// The registry handles every kind through one shape: TypeMeta + ObjectMeta + whatever else the
// kind has. Strategies narrow it to their own type (Pod, Service, …) where they need fields.
import type { ObjectMeta } from '@skiff/api';

export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects cross the registry by value: strategies mutate copies, never what a caller holds. */
export function cloneObject<T>(obj: T): T {
  return structuredClone(obj);
}

/**
 * The one cast from the registry's generic shape to a kind's type. Safe because objects reach
 * strategies only after validateStructure checked them against the kind's schema.
 */
export function asKind<T>(obj: ApiObject): T {
  return obj as unknown as T;
}

export function asApiObject<T extends { metadata?: ObjectMeta }>(obj: T): ApiObject {
  return obj as unknown as ApiObject;
}
