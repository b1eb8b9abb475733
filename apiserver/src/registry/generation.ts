// metadata.generation counts changes to what the user asked for (the spec), so controllers can
// report status.observedGeneration and clients can tell whether status is up to date. Changes to
// metadata and status do not count.
import { semanticEqual } from '@skiff/api';
import type { ApiObject } from './api-object.js';

const notDesiredState = new Set(['apiVersion', 'kind', 'metadata', 'status']);

function desiredState(obj: ApiObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !notDesiredState.has(k)));
}

export function desiredStateChanged(next: ApiObject, prev: ApiObject): boolean {
  return !semanticEqual(desiredState(next), desiredState(prev));
}
