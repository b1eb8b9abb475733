// Objects shared between many readers (the apiserver's watch cache, an informer's store) are
// handed out, never copied; freezing them once when they enter the cache turns an accidental
// write by any reader into an immediate TypeError (in strict-mode code) instead of a silent
// corruption every other reader would then see. Tests freeze their inputs for the same reason:
// a function that writes into its arguments fails loudly.
//
// The apiserver pays this walk on every cached write, so it is written for decoded JSON: plain
// objects and arrays. `for…in` and an index loop are several times faster than Reflect.ownKeys
// (JSON has no symbol keys, and a parsed object inherits nothing enumerable).

/** Freezes `value` and everything reachable from it; returns it, now read-only. */
export function deepFreeze<T>(value: T): T {
  if (isFreezable(value)) freezeTree(value);
  return value;
}

function freezeTree(value: object): void {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isFreezable(item)) freezeTree(item);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const field = record[key];
    if (isFreezable(field)) freezeTree(field);
  }
}

/**
 * A frozen node is taken as frozen all the way down (caches only ever freeze whole trees), and
 * typed arrays cannot be frozen while they have elements; decoded JSON never holds them.
 */
function isFreezable(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Object.isFrozen(value) &&
    !ArrayBuffer.isView(value)
  );
}
