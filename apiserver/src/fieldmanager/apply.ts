// Server-side apply's bookkeeping (structured-merge-diff's Updater.Apply): the applier owns
// exactly what its configuration sets; fields it set last time and no longer does are removed
// from the object unless another manager owns them; a change to a field another manager owns is
// a conflict (409) unless forced, when the applier takes it over.
import { compareObjects } from './compare.js';
import { ApplyError, type ApplyConflict } from './apply-error.js';
import { appliedSet, pathString } from './applied-set.js';
import { FieldSet } from './field-set.js';
import {
  decodeManagedFields,
  type ManagedEntry,
  type ObjectWithMeta,
  owned,
  ownedFields,
  setManagedFields,
  type WriteContext,
} from './managed-fields.js';
import {
  isUpgradable,
  refreshLastApplied,
  upgradesFromLastApplied,
  withoutLastAppliedFields,
} from './last-applied.js';
import { managerIdentifier } from './manager-identifier.js';
import { removePath } from './merge.js';
import { rootType } from './schema.js';
import { zeroObject } from './zero-objects.js';

/**
 * `next` is the live object with the configuration merged in (the configuration alone for a
 * create), already defaulted; it is pruned in place and given its managedFields. Throws
 * ApplyError on conflicts.
 */
export function recordApply(
  live: ObjectWithMeta | undefined,
  next: ObjectWithMeta,
  ctx: WriteContext,
  applied: { readonly config: Readonly<Record<string, unknown>>; readonly force: boolean },
): void {
  const type = rootType(ctx.apiVersion, ctx.kind, ctx.schema);
  const managers = decodeManagedFields(live?.metadata.managedFields);
  const self = managerIdentifier({
    manager: ctx.request.manager,
    operation: 'Apply',
    apiVersion: ctx.apiVersion,
    subresource: ctx.subresource,
  });
  const own = managers.find((m) => managerIdentifier(m) === self);
  let others = managers.filter((m) => managerIdentifier(m) !== self);
  const applying = ownedFields(appliedSet(applied.config, type));

  // Fields the applier dropped from its configuration go, unless someone still owns something
  // inside them (another manager, or the applier a field within).
  const othersOwn = others.reduce((all, m) => all.union(m.set), new FieldSet());
  const dropped = (own?.set ?? new FieldSet()).difference(applying).paths().reverse();
  for (const path of dropped) {
    if (!othersOwn.hasWithin(path) && !applying.hasWithin(path)) removePath(next, path, type);
  }

  const before = live ?? zeroObject(ctx.apiVersion, ctx.kind);
  const comparison = compareObjects(owned(before), owned(next), type);
  const changed = comparison.added.union(comparison.modified);
  let conflicts = conflictsWith(others, changed);
  if (conflicts.length > 0 && !applied.force && upgradesFromLastApplied(ctx.request.manager)) {
    const onlyClientSide = others.every(
      (o) => isUpgradable(o) || o.set.intersection(changed).isEmpty(),
    );
    const upgraded = onlyClientSide ? withoutLastAppliedFields(others, live, type) : undefined;
    if (upgraded !== undefined) {
      others = upgraded;
      conflicts = conflictsWith(others, changed);
    }
  }
  if (conflicts.length > 0 && !applied.force) throw ApplyError.conflicts(conflicts);

  const result: ManagedEntry[] = [];
  for (const other of others) {
    const set = other.set.difference(changed).difference(comparison.removed);
    if (!set.isEmpty()) result.push({ ...other, set });
  }
  const objectChanged = !changed.isEmpty() || !comparison.removed.isEmpty();
  if (!applying.isEmpty()) {
    result.push({
      manager: ctx.request.manager,
      operation: 'Apply',
      apiVersion: ctx.apiVersion,
      ...(ctx.subresource !== undefined ? { subresource: ctx.subresource } : {}),
      time: own === undefined || objectChanged ? ctx.now : own.time,
      set: applying,
    });
  }
  if (ctx.request.manager === 'kubectl') refreshLastApplied(live, next, applied.config);
  setManagedFields(next, result);
}

function conflictsWith(others: readonly ManagedEntry[], changed: FieldSet): ApplyConflict[] {
  return others.flatMap((other) =>
    other.set
      .intersection(changed)
      .paths()
      .map((path) => ({ manager: printManager(other), field: pathString(path) })),
  );
}

// apimachinery's printManager: the name, its subresource, and for an Update the version used.
function printManager(entry: ManagedEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource !== undefined)
    text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion}`;
  return text;
}
