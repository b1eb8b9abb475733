// Events expire: Kubernetes stores them with an etcd lease of --event-ttl (1 h). Here a sweeper
// on the injected clock deletes events whose last activity is older than the TTL. The delete is
// conditional on the resourceVersion seen, so an event updated meanwhile (count++) survives.
import type { Clock, Event, Timer } from '@skiff/api';
import { isConflict, isNotFound } from '@skiff/api';
import { asKind } from '../registry/api-object.js';
import { listObjects } from '../registry/list.js';
import { parseListParams } from '../registry/list-options.js';
import type { Registry } from '../registry/registry.js';

export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;

/** The latest time an event says something happened; its TTL counts from there. */
export function lastActivity(event: Event): number {
  const times = [
    event.metadata.creationTimestamp,
    event.lastTimestamp,
    event.eventTime,
    event.series?.lastObservedTime,
  ]
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : 0;
}

export class EventSweeper {
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly events: Registry,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Sweeps every tenth of the TTL (at most once a minute), so an event outlives it by ≤ 10%. */
  start(): void {
    const interval = Math.min(Math.max(this.ttlMs / 10, 1000), 60_000);
    const tick = (): void => {
      if (this.stopped) return;
      this.sweep()
        .catch((err: unknown) => this.log(`event expiry failed: ${String(err)}`))
        .finally(() => {
          if (!this.stopped) this.timer = this.clock.setTimer(interval, tick);
        });
    };
    this.timer = this.clock.setTimer(interval, tick);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Deletes expired events now; returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const list = await listObjects(
      this.events,
      undefined,
      parseListParams(this.events.kind, new URLSearchParams()),
    );
    let deleted = 0;
    for (const item of list.items) {
      if (lastActivity(asKind<Event>(item)) + this.ttlMs > now) continue;
      try {
        await this.events.delete(item.metadata.namespace, item.metadata.name ?? '', {
          preconditions: { resourceVersion: item.metadata.resourceVersion },
        });
        deleted++;
      } catch (err) {
        // Gone already, or updated since the list (then it is not expired any more).
        if (isNotFound(err) || isConflict(err)) continue;
        throw err;
      }
    }
    return deleted;
  }
}
