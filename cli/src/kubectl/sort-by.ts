// --sort-by: objects (or Table rows, by the objects they carry) ordered by a JSONPath field,
// numbers as numbers, everything else as text; objects missing the field go first, as kubectl.
import { relaxedJsonPath } from './printers/jsonpath.js';

export function sortBy<T>(
  items: readonly T[],
  expression: string,
  objectOf: (item: T) => unknown,
): T[] {
  const path = relaxedJsonPath(expression);
  const keyed = items.map((item) => ({ item, key: path.values(objectOf(item))[0] }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.item);
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
