// The JSON merge patch (RFC 7386) that turns one object into another: changed fields set,
// removed ones null, lists replaced whole. What `skiff edit` sends.
type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

export function createMergePatch(
  original: Record<string, Json>,
  modified: Record<string, Json>,
): Record<string, Json> {
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  for (const [key, value] of Object.entries(modified)) {
    const before = original[key];
    if (deepEqual(before, value)) continue;
    patch[key] = isObject(before) && isObject(value) ? createMergePatch(before, value) : value;
  }
  return patch;
}
