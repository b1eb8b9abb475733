// Kubernetes decodes JSON into Go structs, where `"field": null` simply leaves the field unset.
// Generated manifests rely on it (`creationTimestamp: null`, `resources: null`), so before we
// check types or apply defaults we drop null-valued properties the same way.

export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== null) out[key] = withoutNulls(v);
  }
  return out;
}

/**
 * True when withoutNulls would drop something. Most objects have no nulls at all, and this walk
 * allocates nothing, so callers that only read can skip the copy.
 */
export function hasNullProperty(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullProperty);
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const v = value[key];
    if (v === null || hasNullProperty(v)) return true;
  }
  return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
