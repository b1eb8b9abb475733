// The Table columns of custom resource versions, attached to the KindInfo that routing hands to
// every request for that version (lists, gets and watch events alike). The CRD's served
// resource builds a new KindInfo per CRD generation, so keying on that object ties the columns'
// lifetime to the generation: a changed CRD brings new columns, and retired ones are collected.
import type { KindInfo } from '@skiff/api';
import type { Column } from './columns.js';

const byKind = new WeakMap<KindInfo, readonly Column[]>();

export function setCustomColumns(kind: KindInfo, columns: readonly Column[]): void {
  byKind.set(kind, columns);
}

export function customColumns(kind: KindInfo): readonly Column[] | undefined {
  return byKind.get(kind);
}
