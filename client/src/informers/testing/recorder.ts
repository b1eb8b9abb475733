// An event handler that writes down what it was told, one readable line per notification:
// `add default/a`, `update default/a`, `delete default/a (final state unknown)`.
import type { KubeObject } from '../../rest/index.js';
import type { ResourceEventHandler } from '../event-handler.js';
import { keyFor } from '../keys.js';

export interface Recorder<T> extends ResourceEventHandler<T> {
  readonly lines: string[];
  /** The objects delete notifications carried, by key. */
  readonly deleted: Map<string, Readonly<T>>;
}

export function recordEvents<T extends KubeObject>(
  filter: (obj: Readonly<T>) => boolean = () => true,
): Recorder<T> {
  const lines: string[] = [];
  const deleted = new Map<string, Readonly<T>>();
  return {
    lines,
    deleted,
    onAdd: (obj) => {
      if (filter(obj)) lines.push(`add ${keyFor(obj)}`);
    },
    onUpdate: (oldObj, newObj) => {
      if (!filter(newObj)) return;
      lines.push(oldObj === newObj ? `resync ${keyFor(newObj)}` : `update ${keyFor(newObj)}`);
    },
    onDelete: (obj, { finalStateUnknown }) => {
      if (!filter(obj)) return;
      deleted.set(keyFor(obj), obj);
      lines.push(`delete ${keyFor(obj)}${finalStateUnknown ? ' (final state unknown)' : ''}`);
    },
  };
}
