// The one place that decides what a reconcile's outcome means for its key. Every other part of
// the runtime (metrics, logs) follows what this answers, so the table below is the whole story:
//
// | outcome                         | queue                          | result label     |
// |---------------------------------|--------------------------------|------------------|
// | threw a TerminalError           | forget                         | `error`          |
// | threw anything else             | addRateLimited (backoff)       | `error`          |
// | `{ requeueAfter: ms > 0 }`      | forget, then addAfter(ms)      | `requeue_after`  |
// | `{ requeue: true }`             | addRateLimited (backoff)       | `requeue`        |
// | `{}` (or requeueAfter ≤ 0)      | forget                         | `success`        |
//
// Why forget before a requeueAfter: the reconciler succeeded and only asked to look again later
// (a timeout, a periodic check), so the next failure should back off from the shortest delay.
// Why a terminal error is forgotten: retrying cannot fix it; the next change to the object (or
// a resync) brings the key back with a fresh backoff.
import type { RateLimitingQueue } from '../workqueue/rate-limiting-queue.js';
import { isTerminalError, type Result } from './reconciler.js';

/** What a reconcile ended with: a result, or what it threw. */
export type ReconcileOutcome = { readonly result: Result } | { readonly error: unknown };

/** The `result` label of controller_runtime_reconcile_total. */
export type ResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

/** The part of the queue the decision needs. */
export type RequeueTarget = Pick<RateLimitingQueue, 'forget' | 'addRateLimited' | 'addAfter'>;

export interface OutcomeHandled {
  readonly label: ResultLabel;
  /** The outcome was a TerminalError: logged and dropped, not retried. */
  readonly terminal: boolean;
}

export function applyReconcileOutcome(
  queue: RequeueTarget,
  key: string,
  outcome: ReconcileOutcome,
): OutcomeHandled {
  if ('error' in outcome) {
    if (isTerminalError(outcome.error)) {
      queue.forget(key);
      return { label: 'error', terminal: true };
    }
    queue.addRateLimited(key);
    return { label: 'error', terminal: false };
  }
  const { requeue, requeueAfter } = outcome.result;
  if (requeueAfter !== undefined && requeueAfter > 0) {
    queue.forget(key);
    queue.addAfter(key, requeueAfter);
    return { label: 'requeue_after', terminal: false };
  }
  if (requeue) {
    queue.addRateLimited(key);
    return { label: 'requeue', terminal: false };
  }
  queue.forget(key);
  return { label: 'success', terminal: false };
}
