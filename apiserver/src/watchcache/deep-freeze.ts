// Cached objects are shared by every list and every watcher, never copied; freezing them once
// when they enter the cache turns an accidental write by any caller into an immediate TypeError
// instead of a silent corruption that every other client would then see.

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // Typed arrays cannot be frozen while they have elements; decoded JSON never holds them.
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
