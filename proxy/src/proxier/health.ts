// kube-proxy's health: unhealthy when a change has waited for its sync longer than the timeout
// (twice the sync period, as kube-proxy), so a proxy whose rules stopped being programmed is
// restarted instead of quietly serving stale Services.
import type { Clock } from '@skiff/api';

export interface HealthStatus {
  readonly healthy: boolean;
  /** RFC 3339, as kube-proxy's /healthz answers. */
  readonly lastUpdated: string;
  readonly currentTime: string;
}

export class ProxyHealth {
  private oldestQueued: number | undefined;
  private lastUpdated = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** A change is waiting for a sync. */
  queued(): void {
    this.oldestQueued ??= this.clock.now();
  }

  /** A sync that started at `startedAt` succeeded: changes queued before then are programmed. */
  updated(startedAt: number): void {
    this.lastUpdated = this.clock.now();
    if (this.oldestQueued !== undefined && this.oldestQueued <= startedAt)
      this.oldestQueued = undefined;
  }

  status(): HealthStatus {
    const now = this.clock.now();
    return {
      healthy: this.oldestQueued === undefined || now - this.oldestQueued < this.timeoutMs,
      lastUpdated: new Date(this.lastUpdated).toISOString(),
      currentTime: new Date(now).toISOString(),
    };
  }
}
