// Ids are 64 hex digits, like containerd's and CRI-O's, and may be given as a unique prefix (as
// crictl users do). Resolution lives in one place so every verb reports the same errors.
import { randomBytes } from 'node:crypto';
import { RuntimeError } from './errors.js';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

/** The full id `idOrPrefix` names among `ids`, or a NotFound / InvalidArgument RuntimeError. */
export function resolveId(ids: Iterable<string>, idOrPrefix: string, kind: string): string {
  if (idOrPrefix === '') throw new RuntimeError('InvalidArgument', `no ${kind} id given`);
  const matches: string[] = [];
  for (const id of ids) {
    if (id === idOrPrefix) return id;
    if (id.startsWith(idOrPrefix)) matches.push(id);
  }
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) {
    throw new RuntimeError(
      'InvalidArgument',
      `${kind} id prefix ${idOrPrefix} is ambiguous (${matches.length} match)`,
    );
  }
  throw new RuntimeError('NotFound', `${kind} ${JSON.stringify(idOrPrefix)} not found`);
}
