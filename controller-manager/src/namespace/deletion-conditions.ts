// The conditions Kubernetes' namespace controller keeps on a Terminating namespace: each of the
// five is always present — True with a failure reason while something is wrong, False with its
// "all is well" reason otherwise — and an unchanged condition keeps its lastTransitionTime.
import type { NamespaceCondition } from '@skiff/api';

export const NamespaceConditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof NamespaceConditionTypes)[number];

const healthy: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: {
    reason: 'ContentRemoved',
    message: 'All content successfully removed',
  },
  NamespaceFinalizersRemaining: {
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
};

export interface Failure {
  readonly type: NamespaceConditionType;
  readonly reason: string;
  readonly message: string;
}

/**
 * The namespace's conditions after a pass that found `failures`: other condition types keep
 * theirs (any others a user wrote stay as they are), these five are replaced only when status,
 * reason or message changed.
 */
export function updatedConditions(
  current: readonly NamespaceCondition[],
  failures: readonly Failure[],
  now: string,
): NamespaceCondition[] {
  const next = current.filter((c) => !isDeletionCondition(c.type));
  for (const type of NamespaceConditionTypes) {
    const failure = failures.find((f) => f.type === type);
    const wanted = failure
      ? { status: 'True' as const, reason: failure.reason, message: failure.message }
      : { status: 'False' as const, ...healthy[type] };
    const old = current.find((c) => c.type === type);
    const same =
      old?.status === wanted.status &&
      old.reason === wanted.reason &&
      old.message === wanted.message;
    next.push(same ? old : { type, ...wanted, lastTransitionTime: now });
  }
  return next;
}

function isDeletionCondition(type: string): boolean {
  return (NamespaceConditionTypes as readonly string[]).includes(type);
}

/** `pods. has 2 resource instances, widgets.example.com has 1 resource instances`. */
export function remainingMessage(counts: ReadonlyMap<string, number>): string {
  return sortedEntries(counts)
    .map(([resource, n]) => `${resource} has ${n} resource instances`)
    .join(', ');
}

/** `example.com/hold in 2 resource instances`. */
export function finalizersMessage(counts: ReadonlyMap<string, number>): string {
  return sortedEntries(counts)
    .map(([finalizer, n]) => `${finalizer} in ${n} resource instances`)
    .join(', ');
}

function sortedEntries(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's `%v` of an aggregate of errors: the one message, or `[a, b]`. */
export function aggregateMessage(messages: readonly string[]): string {
  return messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
}
