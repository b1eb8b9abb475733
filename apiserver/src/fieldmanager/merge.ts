// Merging an applied configuration into the live object (structured-merge-diff's Merge): maps
// merge key by key, list-maps element by element by their keys, sets by value; anything else
// (scalars, atomic lists and maps) the configuration replaces. Also the removal of fields an
// applier stopped setting, which nobody else owns.
import { keyElement, valueElement } from './path-elements.js';
import { elementType, type FieldType, fieldType, isAtomicMap, listKind } from './schema.js';
import { isPlainObject as isRecord } from '../registry/api-object.js';

export function mergeApplied(live: unknown, config: unknown, type: FieldType): unknown {
  if (isRecord(config) && isRecord(live) && !isAtomicMap(type)) {
    const out: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(config)) {
      out[key] = mergeApplied(live[key], value, fieldType(type, key));
    }
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const configItems: unknown[] = config;
    const liveItems: unknown[] = live;
    const kind = listKind(type);
    if (kind !== 'atomic') {
      const element = (v: unknown): string | undefined =>
        kind === 'set' ? valueElement(v) : keyElement(v, kind.keys);
      const itemType = elementType(type);
      const applied = new Map(configItems.map((item) => [element(item), item]));
      const out = liveItems.map((item) => {
        const pe = element(item);
        if (pe === undefined || !applied.has(pe)) return item;
        const merged = mergeApplied(item, applied.get(pe), itemType);
        applied.delete(pe);
        return merged;
      });
      return [...out, ...applied.values()];
    }
  }
  return structuredClone(config);
}

/**
 * Removes the field at `path` (encoded elements) from `obj` in place; a path that is not there
 * is nothing to remove.
 */
export function removePath(obj: unknown, path: readonly string[], type: FieldType): void {
  const [first, ...rest] = path;
  if (first === undefined) return;
  if (isRecord(obj) && first.startsWith('f:')) {
    const key = first.slice(2);
    if (!Object.hasOwn(obj, key)) return;
    if (rest.length === 0) {
      Reflect.deleteProperty(obj, key);
      return;
    }
    removePath(obj[key], rest, fieldType(type, key));
    return;
  }
  if (Array.isArray(obj)) {
    const kind = listKind(type);
    if (kind === 'atomic') return;
    const element = (v: unknown): string | undefined =>
      kind === 'set' ? valueElement(v) : keyElement(v, kind.keys);
    const index = obj.findIndex((item) => element(item) === first);
    if (index < 0) return;
    if (rest.length === 0) obj.splice(index, 1);
    else removePath(obj[index], rest, elementType(type));
  }
}
