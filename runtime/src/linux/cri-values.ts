// CRI messages reach this package in two encodings: what a test or the CRI layer builds by hand
// (int64 as number, enums as number or name, fields left out) and what proto-loader decodes
// (int64 as decimal strings, enums as names, every field present). These helpers read either.
import type { MountPropagation, NamespaceMode } from '@skiff/proto';

/** A proto int64 in any of its JavaScript shapes (number, decimal string, Long). */
export type Int64Like = number | string | { toString(): string } | null | undefined;

/** The value as a safe integer; 0 for unset, as proto3 reads it. */
export function int64(value: Int64Like): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value.toString());
  if (!Number.isSafeInteger(n)) throw new RangeError(`${String(value)} is not a safe integer`);
  return n;
}

export type NamespaceModeName = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
const namespaceModes: readonly NamespaceModeName[] = ['POD', 'CONTAINER', 'NODE', 'TARGET'];

export function namespaceMode(value: NamespaceMode | null | undefined): NamespaceModeName {
  if (value === null || value === undefined) return 'POD';
  if (typeof value === 'number') return namespaceModes[value] ?? 'POD';
  return value;
}

export type PropagationName =
  'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
const propagations: readonly PropagationName[] = [
  'PROPAGATION_PRIVATE',
  'PROPAGATION_HOST_TO_CONTAINER',
  'PROPAGATION_BIDIRECTIONAL',
];

export function propagation(value: MountPropagation | null | undefined): PropagationName {
  if (value === null || value === undefined) return 'PROPAGATION_PRIVATE';
  if (typeof value === 'number') return propagations[value] ?? 'PROPAGATION_PRIVATE';
  return value;
}

/** A proto map field, absent or present. */
export function stringMap(
  value: { [key: string]: string } | null | undefined,
): Record<string, string> {
  return { ...(value ?? {}) };
}
