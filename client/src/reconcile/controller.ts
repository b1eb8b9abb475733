// A controller: one reconciler, one workqueue of keys, N workers. The worker loop is client-go's
// sample-controller, step for step — run → runWorker → processNextWorkItem → reconcileHandler —
// so it can be read side by side with Kubernetes' own controllers. Event handlers (handlers.ts)
// only put keys on the queue; everything else happens here, in a worker.
import { realClock, type Clock } from '@skiff/api';
import type { Registry } from 'prom-client';
import type { RateLimiter } from '../workqueue/rate-limiter.js';
import { RateLimitingQueue } from '../workqueue/rate-limiting-queue.js';
import { ControllerMetrics } from './metrics.js';
import {
  requestFromKey,
  requestKey,
  TerminalError,
  type Reconciler,
  type Request,
} from './reconciler.js';
import { applyReconcileOutcome, type ReconcileOutcome } from './result-to-queue.js';

export interface ControllerOptions {
  /** Names the controller in logs and metrics (the `controller` and workqueue `name` labels). */
  readonly name: string;
  readonly reconciler: Reconciler;
  /** Workers, i.e. how many different keys may be reconciled at once. Default 1. */
  readonly maxConcurrentReconciles?: number;
  /** Retry policy; defaults to the workqueue's defaultControllerRateLimiter on `clock`. */
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  /** Where the controller and workqueue metrics go; prom-client's global registry by default. */
  readonly registry?: Registry;
  readonly log?: (message: string) => void;
}

export interface RunOptions {
  /**
   * Asked right before each reconcile; false drops the key instead. The manager passes its
   * leader elector's isLeader(), which turns false the moment the renew deadline passes — even
   * if the process was paused and no timer has run yet.
   */
  readonly mayAct?: () => boolean;
}

export class Controller {
  readonly name: string;
  /** The controller's queue of keys (`namespace/name`); handlers add to it. */
  readonly queue: RateLimitingQueue;
  private readonly reconciler: Reconciler;
  private readonly workers: number;
  private readonly clock: Clock;
  private readonly metrics: ControllerMetrics;
  private readonly log: (message: string) => void;
  private started = false;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.reconciler = options.reconciler;
    this.workers = options.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(this.workers) || this.workers < 1) {
      throw new RangeError(
        `controller ${this.name}: maxConcurrentReconciles must be a positive integer (got ${this.workers})`,
      );
    }
    this.clock = options.clock ?? realClock;
    this.queue = new RateLimitingQueue({
      name: this.name,
      clock: this.clock,
      registry: options.registry,
      ...(options.rateLimiter && { rateLimiter: options.rateLimiter }),
    });
    this.metrics = new ControllerMetrics(this.name, this.workers, options.registry);
    this.log =
      options.log ?? ((message) => process.stderr.write(`controller ${this.name}: ${message}\n`));
  }

  /** Asks for `request` to be reconciled (once, however often it is asked before a worker runs). */
  enqueue(request: Request): void {
    this.queue.add(requestKey(request));
  }

  /**
   * Runs the workers until the queue shuts down: shutDownWithDrain() for a graceful stop, or
   * `signal`, which is the controller's right to act. Once `signal` aborts, reconciles in flight
   * see it and keys still queued are dropped unprocessed.
   */
  async run(signal: AbortSignal, options: RunOptions = {}): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name}: already started`);
    this.started = true;
    const mayAct = options.mayAct ?? (() => true);
    const stopNow = (): void => this.queue.shutDown();
    if (signal.aborted) stopNow();
    signal.addEventListener('abort', stopNow, { once: true });
    try {
      const workers = Array.from({ length: this.workers }, () => this.runWorker(signal, mayAct));
      await Promise.all(workers);
    } finally {
      signal.removeEventListener('abort', stopNow);
    }
  }

  /**
   * Stops accepting keys and resolves once every queued and in-flight key has been reconciled
   * (retries that were waiting are dropped). The workers then return from run().
   */
  shutDownWithDrain(): Promise<void> {
    return this.queue.shutDownWithDrain();
  }

  private async runWorker(signal: AbortSignal, mayAct: () => boolean): Promise<void> {
    while (await this.processNextWorkItem(signal, mayAct)) {
      // The loop is the worker: take the next key until the queue shuts down.
    }
  }

  /** Takes one key and reconciles it; false once the queue has shut down. */
  private async processNextWorkItem(signal: AbortSignal, mayAct: () => boolean): Promise<boolean> {
    const item = await this.queue.get();
    if (item.shutdown) return false;
    try {
      // No longer allowed to act (leadership lost, or shutting down past the deadline): drop
      // the key. Whoever acts next rebuilds its work from the cluster, not from this queue.
      if (signal.aborted || !mayAct()) return true;
      await this.reconcileHandler(item.key, signal);
    } finally {
      // On every path, or the key stays "processing" and is never handed out again.
      this.queue.done(item.key);
    }
    return true;
  }

  /** Calls the reconciler for `key`; what happens to the key next is applyReconcileOutcome's. */
  private async reconcileHandler(key: string, signal: AbortSignal): Promise<void> {
    const startedAt = this.clock.now();
    this.metrics.workerStarted();
    let outcome: ReconcileOutcome;
    try {
      const request = parseKey(key);
      outcome = { result: (await this.reconciler.reconcile(request, signal)) ?? {} };
    } catch (error) {
      outcome = { error };
    } finally {
      this.metrics.workerFinished();
    }
    const handled = applyReconcileOutcome(this.queue, key, outcome);
    this.metrics.reconciled(handled.label, handled.terminal, (this.clock.now() - startedAt) / 1000);
    if ('error' in outcome) {
      const what = handled.terminal
        ? 'terminal error, not retrying'
        : 'error, retrying with backoff';
      this.log(`reconcile ${key}: ${what}: ${describeError(outcome.error)}`);
    }
  }
}

/** A key that cannot name an object would fail the same way forever: make that terminal. */
function parseKey(key: string): Request {
  try {
    return requestFromKey(key);
  } catch (err) {
    throw new TerminalError(`cannot reconcile key ${JSON.stringify(key)}`, { cause: err });
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}
