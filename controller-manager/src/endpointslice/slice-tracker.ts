// Kubernetes' EndpointSliceTracker: what this controller last wrote, per service, so a sync can
// tell when the informer has not caught up with its own writes. Acting on such a cache would
// create a second slice for endpoints that already have one, or fight its own update; instead
// the sync fails and retries through the rate limiter until the cache has caught up.
import type { EndpointSlice } from '@skiff/api';

/** `generation` written, or 'deleted'. */
type Written = number | 'deleted';

export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, Written>>();

  /** Records a write (create or update) this controller made. */
  written(serviceKey: string, slice: Readonly<EndpointSlice>): void {
    const name = slice.metadata.name;
    if (name) this.slices(serviceKey).set(name, slice.metadata.generation ?? 0);
  }

  deleted(serviceKey: string, name: string): void {
    this.slices(serviceKey).set(name, 'deleted');
  }

  /**
   * True when `cached` (the service's slices in the informer) shows everything written: every
   * written slice at least at the written generation, every deleted one gone. Entries the
   * cache has caught up with are forgotten.
   */
  cacheCaughtUp(serviceKey: string, cached: readonly Readonly<EndpointSlice>[]): boolean {
    const tracked = this.byService.get(serviceKey);
    if (!tracked) return true;
    const generations = new Map(
      cached.map((s) => [s.metadata.name ?? '', s.metadata.generation ?? 0]),
    );
    let caughtUp = true;
    for (const [name, written] of tracked) {
      const seen = generations.get(name);
      const ok = written === 'deleted' ? seen === undefined : seen !== undefined && seen >= written;
      if (ok) tracked.delete(name);
      else caughtUp = false;
    }
    if (tracked.size === 0) this.byService.delete(serviceKey);
    return caughtUp;
  }

  /**
   * Kubernetes' ShouldSync: whether an informer event for `slice` may need a sync — not when it
   * is this controller's own write coming back (the generation it wrote, or an older one).
   */
  shouldSync(serviceKey: string, slice: Readonly<EndpointSlice>): boolean {
    const written = this.byService.get(serviceKey)?.get(slice.metadata.name ?? '');
    return typeof written !== 'number' || (slice.metadata.generation ?? 0) > written;
  }

  forget(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }

  private slices(serviceKey: string): Map<string, Written> {
    let slices = this.byService.get(serviceKey);
    if (!slices) this.byService.set(serviceKey, (slices = new Map<string, Written>()));
    return slices;
  }
}
