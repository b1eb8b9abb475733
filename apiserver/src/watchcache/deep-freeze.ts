// Cached objects are shared by every list and every watcher, never copied; freezing them once
// when they enter the cache turns an accidental write by any caller into an immediate TypeError
// instead of a silent corruption that every other client would then see.
//
// Every cached write pays for this walk, so it is written for decoded JSON: plain objects and
// arrays. `for…in` and an index loop are several times faster than Reflect.ownKeys (JSON has no
// symbol keys, and a parsed object inherits nothing enumerable).

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

/** Typed arrays cannot be frozen while they have elements; decoded JSON never holds them. */
function isFreezable(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Object.isFrozen(value) &&
    !ArrayBuffer.isView(value)
  );
}
