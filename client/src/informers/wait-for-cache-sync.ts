// client-go's cache.WaitForCacheSync: a controller's run() waits for every informer it reads
// before starting workers, because a worker acting on a half-filled cache would think objects
// that exist are missing (and, say, create a second ReplicaSet).
import { pollUntil, realClock, type Clock } from '@skiff/api';

/** Anything that can say when it has synced: an informer, or a handler's registration. */
export interface Syncable {
  hasSynced(): boolean;
}

/**
 * Resolves true once every one of `syncables` has synced, false if `signal` aborts first.
 * Checks every `pollMs` (100 ms, as client-go).
 */
export function waitForCacheSync(
  signal: AbortSignal,
  syncables: readonly Syncable[],
  { clock = realClock, pollMs = 100 }: { clock?: Clock; pollMs?: number } = {},
): Promise<boolean> {
  return pollUntil(() => syncables.every((s) => s.hasSynced()), pollMs, { clock, signal });
}
