// The encoded path elements of FieldsV1 (structured-merge-diff's PathElement strings).

/** A struct field or a map key: `f:name`. */
export function fieldElement(name: string): string {
  return `f:${name}`;
}

/**
 * An element of a list-map, by its key fields: `k:{"containerPort":80,"protocol":"TCP"}`, the
 * key fields sorted by name. Undefined when the element lacks every key field (it cannot be
 * addressed; the caller treats the list as atomic).
 */
export function keyElement(item: unknown, keys: readonly string[]): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  const present = [...keys].filter((k) => record[k] !== undefined).sort();
  if (present.length === 0) return undefined;
  const parts = present.map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`);
  return `k:{${parts.join(',')}}`;
}

/** An element of a set-list by its value: `v:"example.com/finalizer"`. */
export function valueElement(item: unknown): string {
  return `v:${JSON.stringify(item)}`;
}
