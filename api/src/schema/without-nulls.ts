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

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
