// The JSON value model the three patch formats work on, and the few helpers they share.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of a parsed JSON value, checked on the way: the patch functions mutate their
 * working copies freely, and callers' objects (often straight from the watch cache) stay untouched.
 */
export function copyJson(value: unknown, what: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new TypeError(`${what} holds a number JSON cannot carry: ${value}`);
  }
  if (Array.isArray(value)) return value.map((item, i) => copyJson(item, `${what}[${i}]`));
  if (typeof value === 'object') {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value))
      setField(copy, key, copyJson(item, `${what}.${key}`));
    return copy;
  }
  throw new TypeError(`${what} is not JSON: found a ${typeof value}`);
}

export function hasField(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** Assigns as an own property even for `__proto__`, which plain assignment would treat as the prototype. */
export function setField(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/** Removes a key; these objects are used as dictionaries, so deleting computed keys is the point. */
export function deleteField(object: JsonObject, key: string): void {
  Reflect.deleteProperty(object, key);
}

/** JSON equality: object key order does not matter, array order does. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i] ?? null))
    );
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => hasField(b, key) && jsonEqual(a[key] ?? null, b[key] ?? null));
  }
  return false;
}

/** A short rendering of a value for error messages. */
export function preview(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function describeType(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return isJsonObject(value) ? 'map' : typeof value;
}
