// metadata.managedFields on a write: which manager set which fields, as kube-apiserver records
// it for an Update operation (structured-merge-diff's Updater.Update with force): the writer
// gains the fields it added or changed, every other manager loses them, fields the write removed
// leave everyone, and managers left with nothing are dropped. A manager's time moves when its
// write set anything, so a write that changes nothing changes nothing here either.
import type { JSONSchemaProps } from '@skiff/api';
import { capUpdateManagers } from './cap-managers.js';
import { compareObjects } from './compare.js';
import { managerIdentifier } from './manager-identifier.js';
import { FieldSet } from './field-set.js';
import { rootType } from './schema.js';
import { zeroObject } from './zero-objects.js';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** Who writes, and how: the manager name comes from fieldManager or the User-Agent. */
export interface FieldManagerRequest {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  /** For Apply: the configuration applied, and whether it takes fields others own. */
  readonly applied?: {
    readonly config: Readonly<Record<string, unknown>>;
    readonly force: boolean;
  };
}

export interface ManagedEntry {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource?: string;
  time?: string;
  set: FieldSet;
}

export interface ObjectWithMeta {
  apiVersion?: string;
  kind?: string;
  metadata: { managedFields?: unknown[] };
  [field: string]: unknown;
}

// Fields no manager owns (structured-merge-diff's stripped metadata).
const unownedMetadata = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
]);

export interface WriteContext {
  readonly request: FieldManagerRequest;
  /** The version of the kind the request used. */
  readonly apiVersion: string;
  readonly kind: string;
  /** `status`, `scale`, or undefined for the main resource. */
  readonly subresource?: string;
  /** RFC 3339, whole seconds. */
  readonly now: string;
  /** A custom resource's schema, for its list and map types (see ./schema.ts). */
  readonly schema?: JSONSchemaProps;
}

/**
 * Sets `next.metadata.managedFields` for a write of `next` over `live` (undefined: a create,
 * compared with the kind's zero value). The managers recorded so far are those `next` carries,
 * or `live`'s when `next` has none (a client that does not send them keeps them).
 */
export function recordUpdate(
  live: ObjectWithMeta | undefined,
  next: ObjectWithMeta,
  ctx: WriteContext,
): void {
  const managers = decodeManagedFields(next.metadata.managedFields ?? live?.metadata.managedFields);
  const before = live ?? zeroObject(ctx.apiVersion, ctx.kind);
  const comparison = compareObjects(
    owned(before),
    owned(next),
    rootType(ctx.apiVersion, ctx.kind, ctx.schema),
  );
  const changed = comparison.added.union(comparison.modified);

  const self = managerIdentifier({
    ...ctx.request,
    apiVersion: ctx.apiVersion,
    subresource: ctx.subresource,
  });
  const result: ManagedEntry[] = [];
  let own: ManagedEntry | undefined;
  for (const entry of managers) {
    if (managerIdentifier(entry) === self) {
      own = entry;
      continue;
    }
    const set = entry.set.difference(changed).difference(comparison.removed);
    if (!set.isEmpty()) result.push({ ...entry, set });
  }
  const ownBefore = own?.set ?? new FieldSet();
  const ownAfter = ownBefore.difference(comparison.removed).union(changed);
  if (!ownAfter.isEmpty()) {
    // Kubernetes stamps the time whenever the write set anything, even fields it owned.
    const moved = own === undefined || !changed.isEmpty();
    result.push({
      manager: ctx.request.manager,
      operation: ctx.request.operation,
      apiVersion: ctx.apiVersion,
      ...(ctx.subresource !== undefined ? { subresource: ctx.subresource } : {}),
      time: moved ? ctx.now : own?.time,
      set: ownAfter,
    });
  }
  setManagedFields(next, result);
}

/** Writes `entries` as `obj`'s managedFields (none: the field goes), capped as Kubernetes caps them. */
export function setManagedFields(obj: ObjectWithMeta, entries: readonly ManagedEntry[]): void {
  const encoded = encodeManagedFields(capUpdateManagers(entries));
  if (encoded.length > 0) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}

/** An object without the fields no manager owns. */
export function owned(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { apiVersion: _v, kind: _k, metadata, ...rest } = obj;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return rest;
  const meta = Object.fromEntries(
    Object.entries(metadata).filter(([field]) => !unownedMetadata.has(field)),
  );
  return { metadata: meta, ...rest };
}

/** A configuration's field set without the fields no manager owns (removed as paths, so a
 * `metadata` holding only a name does not turn into an owned empty map). */
export function ownedFields(set: FieldSet): FieldSet {
  const unowned = new FieldSet();
  unowned.insert(['f:apiVersion']);
  unowned.insert(['f:kind']);
  for (const field of unownedMetadata) unowned.insert(['f:metadata', `f:${field}`]);
  return set.difference(unowned);
}

/** Reads managedFields; entries that are not well-formed FieldsV1 entries are dropped. */
export function decodeManagedFields(raw: unknown): ManagedEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: ManagedEntry[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.manager !== 'string' || (e.operation !== 'Apply' && e.operation !== 'Update'))
      continue;
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') continue;
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      if (err instanceof TypeError) continue;
      throw err;
    }
    out.push({
      manager: e.manager,
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      ...(typeof e.subresource === 'string' && e.subresource !== ''
        ? { subresource: e.subresource }
        : {}),
      ...(typeof e.time === 'string' ? { time: e.time } : {}),
      set,
    });
  }
  return out;
}

/** managedFields as Kubernetes writes them: Apply before Update, then oldest first. */
export function encodeManagedFields(entries: readonly ManagedEntry[]): Record<string, unknown>[] {
  const sorted = [...entries].sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      cmp(a.time ?? '', b.time ?? '') ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource ?? '', b.subresource ?? ''),
  );
  return sorted.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time !== undefined ? { time: e.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: e.set.toFieldsV1(),
    ...(e.subresource !== undefined ? { subresource: e.subresource } : {}),
  }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
