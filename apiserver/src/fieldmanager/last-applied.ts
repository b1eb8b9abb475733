// The way from client-side to server-side apply (kube-apiserver's lastAppliedManager and
// lastAppliedUpdater). A kubectl server-side apply that conflicts only with client-side apply
// first takes over the fields of the last-applied-configuration annotation, which client-side
// apply set on the user's behalf; and while an object carries that annotation, kubectl's
// server-side apply (manager `kubectl` exactly: kubectl's own `kubectl-last-applied` applies the
// annotation itself) keeps it current, so a later client-side apply still computes the right
// patch.
import { appliedSet } from './applied-set.js';
import type { ManagedEntry, ObjectWithMeta } from './managed-fields.js';
import { ownedFields } from './managed-fields.js';
import type { FieldType } from './schema.js';
import { isPlainObject as isRecord } from '../registry/api-object.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const upgradableManagers = new Set(['kubectl-client-side-apply', 'before-first-apply']);

/** Only kubectl's own appliers upgrade; another manager name opts out. */
export function upgradesFromLastApplied(manager: string): boolean {
  return manager.startsWith('kubectl');
}

export function isUpgradable(entry: ManagedEntry): boolean {
  return upgradableManagers.has(entry.manager) && entry.operation === 'Update';
}

/** The managers with client-side apply's entries stripped of the last-applied fields. */
export function withoutLastAppliedFields(
  others: readonly ManagedEntry[],
  live: ObjectWithMeta | undefined,
  type: FieldType,
): ManagedEntry[] | undefined {
  const lastApplied = lastAppliedOf(live);
  if (lastApplied === undefined) return undefined;
  const fields = ownedFields(appliedSet(lastApplied, type));
  return others
    .map((entry) => (isUpgradable(entry) ? { ...entry, set: entry.set.difference(fields) } : entry))
    .filter((entry) => !entry.set.isEmpty());
}

/** Keeps the annotation in step with a kubectl server-side apply, where the object has one. */
export function refreshLastApplied(
  live: ObjectWithMeta | undefined,
  next: ObjectWithMeta,
  config: Readonly<Record<string, unknown>>,
): void {
  if (lastAppliedOf(live) === undefined) return;
  const annotations = annotationsOf(next) ?? {};
  const { metadata, ...rest } = config;
  const meta = isRecord(metadata) ? { ...metadata } : {};
  const configAnnotations = isRecord(meta.annotations) ? { ...meta.annotations } : {};
  Reflect.deleteProperty(configAnnotations, LAST_APPLIED_ANNOTATION);
  if (Object.keys(configAnnotations).length > 0) meta.annotations = configAnnotations;
  else delete meta.annotations;
  annotations[LAST_APPLIED_ANNOTATION] = `${JSON.stringify({ ...rest, metadata: meta })}\n`;
  (next.metadata as Record<string, unknown>).annotations = annotations;
}

function lastAppliedOf(obj: ObjectWithMeta | undefined): Record<string, unknown> | undefined {
  const text = obj && annotationsOf(obj)?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch (err) {
    // An annotation that is not JSON cannot be upgraded from: the conflict stands.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function annotationsOf(obj: ObjectWithMeta): Record<string, unknown> | undefined {
  const annotations = (obj.metadata as Record<string, unknown>).annotations;
  return isRecord(annotations) ? { ...annotations } : undefined;
}
