// Callers waiting for the cache to reach a revision: a list or watch that asked for a
// resourceVersion the cache has not seen yet. Each wait is bounded; when it runs out the caller
// gets TooLargeResourceVersionError, which the apiserver answers with 504 as Kubernetes does.
import type { Clock } from '@skiff/api';
import { TooLargeResourceVersionError } from './errors.js';

interface Waiter {
  readonly revision: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class RevisionWaiters {
  private waiters: Waiter[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly current: () => number,
  ) {}

  get size(): number {
    return this.waiters.length;
  }

  wait(revision: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.current() >= revision) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => settle(() => reject(signal?.reason));
      const settle = (how: () => void): void => {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        how();
      };
      const timer = this.clock.setTimer(timeoutMs, () =>
        settle(() => reject(new TooLargeResourceVersionError(revision, this.current(), timeoutMs))),
      );
      const waiter: Waiter = {
        revision,
        resolve: () => settle(resolve),
        reject: (error) => settle(() => reject(error)),
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Call after the cache's revision moved. */
  advanced(): void {
    if (this.waiters.length === 0) return;
    const revision = this.current();
    for (const waiter of this.waiters.filter((w) => w.revision <= revision)) waiter.resolve();
  }

  rejectAll(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }
}
