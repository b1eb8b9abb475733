// CRI list filters: every field that is set must match (AND); an id or sandbox id matches as a
// prefix (what crictl users type), and a label selector matches by equality on every key it names.
// Shared by the Linux managers and the process backend, so a filter means the same on both.

export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>> | null | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

/** The fields of a CRI list filter that container and sandbox records are matched on. */
export interface RecordFilter {
  readonly id?: string | null;
  /** Containers only: sandbox records have no sandbox id, and their filters none either. */
  readonly sandboxId?: string | null;
  readonly labels?: Readonly<Record<string, string>> | null;
}

interface FilterableRecord {
  readonly id: string;
  readonly sandboxId?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function matchesIdPrefix(id: string, filter: RecordFilter): boolean {
  return !filter.id || id.startsWith(filter.id);
}

export function matchesRecordFilter(record: FilterableRecord, filter: RecordFilter): boolean {
  if (!matchesIdPrefix(record.id, filter)) return false;
  if (filter.sandboxId && !(record.sandboxId ?? '').startsWith(filter.sandboxId)) return false;
  return matchesLabels(record.labels, filter.labels);
}

/** Oldest first, the order crictl and the kubelet show lists in. */
export function byCreation(a: { createdAtNs: string }, b: { createdAtNs: string }): number {
  return BigInt(a.createdAtNs) < BigInt(b.createdAtNs) ? -1 : 1;
}

/** CRI's ContainerState by number, for filters that arrive with numeric enums. */
const criStateNames = [
  'CONTAINER_CREATED',
  'CONTAINER_RUNNING',
  'CONTAINER_EXITED',
  'CONTAINER_UNKNOWN',
] as const;

/**
 * Whether a container in CRI state `actual` passes a filter asking for state `wanted` (none: all
 * do). gRPC delivers enums as names; numbers come from callers in the same process, and one that
 * names no state matches no container.
 */
export function matchesContainerState(
  actual: string,
  wanted: string | number | null | undefined,
): boolean {
  if (wanted === undefined || wanted === null) return true;
  return actual === (typeof wanted === 'number' ? criStateNames[wanted] : wanted);
}
