import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { defaultControllerRateLimiter } from '../workqueue/default-rate-limiter.js';
import { RateLimitingQueue } from '../workqueue/rate-limiting-queue.js';
import { TerminalError } from './reconciler.js';
import {
  applyReconcileOutcome,
  type ReconcileOutcome,
  type ResultLabel,
} from './result-to-queue.js';

const KEY = 'shop/web';
const NEVER = undefined;
/** The key has failed twice before: its next backoff is 5 ms × 2² = 20 ms. */
const PRIOR_FAILURES = 2;

interface Row {
  readonly outcome: ReconcileOutcome;
  readonly label: ResultLabel;
  readonly terminal: boolean;
  /** Fake milliseconds until the key is handed out again; undefined: not within an hour. */
  readonly backAfterMs: number | undefined;
  /** The key's retry count afterwards: 0 means its backoff starts from the shortest again. */
  readonly requeuesAfter: number;
}

const table: [string, Row][] = [
  [
    'an error retries after the backoff and counts a retry',
    {
      outcome: { error: new Error('boom') },
      label: 'error',
      terminal: false,
      backAfterMs: 20,
      requeuesAfter: 3,
    },
  ],
  [
    'a TerminalError is forgotten, not retried',
    {
      outcome: { error: new TerminalError('bad spec') },
      label: 'error',
      terminal: true,
      backAfterMs: NEVER,
      requeuesAfter: 0,
    },
  ],
  [
    'an error caused by a TerminalError is terminal too',
    {
      outcome: { error: new Error('reconcile web', { cause: new TerminalError('bad spec') }) },
      label: 'error',
      terminal: true,
      backAfterMs: NEVER,
      requeuesAfter: 0,
    },
  ],
  [
    'requeueAfter comes back after exactly that delay with its backoff reset',
    {
      outcome: { result: { requeueAfter: 3000 } },
      label: 'requeue_after',
      terminal: false,
      backAfterMs: 3000,
      requeuesAfter: 0,
    },
  ],
  [
    'requeue comes back after the backoff',
    {
      outcome: { result: { requeue: true } },
      label: 'requeue',
      terminal: false,
      backAfterMs: 20,
      requeuesAfter: 3,
    },
  ],
  [
    'requeueAfter wins over requeue',
    {
      outcome: { result: { requeue: true, requeueAfter: 3000 } },
      label: 'requeue_after',
      terminal: false,
      backAfterMs: 3000,
      requeuesAfter: 0,
    },
  ],
  [
    'an empty result is forgotten',
    {
      outcome: { result: {} },
      label: 'success',
      terminal: false,
      backAfterMs: NEVER,
      requeuesAfter: 0,
    },
  ],
  [
    'a zero requeueAfter is an empty result',
    {
      outcome: { result: { requeueAfter: 0 } },
      label: 'success',
      terminal: false,
      backAfterMs: NEVER,
      requeuesAfter: 0,
    },
  ],
  [
    'a negative requeueAfter is an empty result',
    {
      outcome: { result: { requeueAfter: -5 } },
      label: 'success',
      terminal: false,
      backAfterMs: NEVER,
      requeuesAfter: 0,
    },
  ],
];

/** A queue whose worker holds KEY after PRIOR_FAILURES failed reconciles of it. */
async function queueAfterPriorFailures(): Promise<{ queue: RateLimitingQueue; clock: FakeClock }> {
  const clock = new FakeClock(0);
  const rateLimiter = defaultControllerRateLimiter(clock);
  // Each failure asked the rate limiter for a delay (that is what addRateLimited does).
  for (let i = 0; i < PRIOR_FAILURES; i++) rateLimiter.when(KEY);
  const queue = new RateLimitingQueue({ clock, rateLimiter });
  queue.add(KEY);
  const item = await queue.get();
  if (item.shutdown) throw new Error('queue shut down');
  queue.done(item.key);
  return { queue, clock };
}

/** Advances fake time a millisecond at a time until the key is queued again. */
async function msUntilQueued(
  queue: RateLimitingQueue,
  clock: FakeClock,
): Promise<number | undefined> {
  const start = clock.now();
  for (let waited = 0; waited <= 5000; waited++) {
    if (queue.len() > 0) return clock.now() - start;
    await clock.advance(1);
  }
  await clock.advance(3_600_000);
  return queue.len() > 0 ? clock.now() - start : undefined;
}

describe('applyReconcileOutcome: what a reconcile result means for its key', () => {
  it.each(table)('%s', async (_name, row) => {
    const { queue, clock } = await queueAfterPriorFailures();
    expect(queue.numRequeues(KEY)).toBe(PRIOR_FAILURES);

    const handled = applyReconcileOutcome(queue, KEY, row.outcome);

    expect(handled).toEqual({ label: row.label, terminal: row.terminal });
    expect(queue.numRequeues(KEY)).toBe(row.requeuesAfter);
    expect(await msUntilQueued(queue, clock)).toBe(row.backAfterMs);
  });
});
