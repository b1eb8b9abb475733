// What an applied configuration sets (structured-merge-diff's ToFieldSet): every scalar, every
// atomic value, every list-map element (as a member, and its fields), every set element, and
// empty or null maps as leaves. This is the applier's whole set: server-side apply owns exactly
// what the configuration says, nothing the server defaulted.
import { FieldSet } from './field-set.js';
import { fieldElement, keyElement, valueElement } from './path-elements.js';
import { elementType, type FieldType, fieldType, isAtomicMap, listKind } from './schema.js';
import { ApplyError } from './apply-error.js';
import { isPlainObject as isRecord } from '../registry/api-object.js';

export function appliedSet(config: unknown, type: FieldType): FieldSet {
  const set = new FieldSet();
  visit(set, [], config, type);
  return set;
}

function visit(set: FieldSet, path: string[], value: unknown, type: FieldType): void {
  if (isRecord(value) && !isAtomicMap(type)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && path.length > 0) set.insert(path);
    for (const [key, child] of entries) {
      visit(set, [...path, fieldElement(key)], child, fieldType(type, key));
    }
    return;
  }
  if (Array.isArray(value)) {
    const kind = listKind(type);
    if (kind !== 'atomic') {
      const itemType = elementType(type);
      const seen = new Set<string>();
      for (const item of value) {
        const pe = kind === 'set' ? valueElement(item) : keyElement(item, kind.keys);
        if (pe === undefined) {
          throw ApplyError.invalid(
            `${pathString(path)}: element ${JSON.stringify(item)} has none of its key fields (${kind === 'set' ? '' : kind.keys.join(', ')})`,
          );
        }
        if (seen.has(pe)) {
          throw ApplyError.invalid(`${pathString(path)}: duplicate entries for key ${pe.slice(2)}`);
        }
        seen.add(pe);
        set.insert([...path, pe]);
        if (kind !== 'set') visit(set, [...path, pe], item, itemType);
      }
      return;
    }
  }
  set.insert(path);
}

/** A path as Kubernetes prints it: `.spec.containers[name="nginx"].image`, `.metadata.finalizers[="a"]`. */
export function pathString(path: readonly string[]): string {
  return path
    .map((pe) => {
      const text = pe.slice(2);
      if (pe.startsWith('f:')) return `.${text}`;
      if (pe.startsWith('v:')) return `[=${text}]`;
      if (pe.startsWith('i:')) return `[${text}]`;
      const key = JSON.parse(text) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}
