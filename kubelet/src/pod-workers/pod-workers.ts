// One worker per pod (Kubernetes' pod_workers.go): a pod's syncs never overlap, updates that
// arrive while it syncs are coalesced into one more sync with the latest state, and a sync can
// ask to run again later (a back-off ending). Different pods sync concurrently. The worker keys
// by pod UID; what a sync does — run, terminate, clean up — is the sync function's business.
//
// A worker's states, in one place:
//   idle     — no sync running; a timer may be set to sync again later
//   syncing  — a sync is running; `pending` says another one is due right after it
//   finished — the sync said the pod is gone for good; the worker is removed
import { errorMessage, type Clock, type Timer } from '@skiff/api';

export type PodWorkerState = 'idle' | 'syncing';

export interface SyncOutcome {
  /** Sync again after this long, unless something else triggers it first. */
  readonly requeueAfterMs?: number;
  /** The pod is gone from the API and the runtime: drop its worker. */
  readonly finished?: boolean;
}

export interface PodWorkersOptions {
  readonly clock: Clock;
  readonly sync: (uid: string) => Promise<SyncOutcome>;
  /** Wait before a sync that threw is tried again (default 2 s). */
  readonly errorRetryMs?: number;
  readonly log?: (message: string) => void;
}

interface Worker {
  state: PodWorkerState;
  pending: boolean;
  timer: Timer | undefined;
  done: Promise<void>;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly options: PodWorkersOptions) {}

  /** Syncs the pod now, or right after its running sync. */
  update(uid: string): void {
    if (this.stopped) return;
    let worker = this.workers.get(uid);
    if (!worker) {
      worker = { state: 'idle', pending: false, timer: undefined, done: Promise.resolve() };
      this.workers.set(uid, worker);
    }
    worker.timer?.cancel();
    worker.timer = undefined;
    if (worker.state === 'syncing') {
      worker.pending = true;
      return;
    }
    worker.done = this.run(uid, worker);
  }

  /** The UIDs of pods that have a worker. */
  known(): string[] {
    return [...this.workers.keys()];
  }

  state(uid: string): PodWorkerState | undefined {
    return this.workers.get(uid)?.state;
  }

  /** Stops taking updates and waits for running syncs to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const worker of this.workers.values()) worker.timer?.cancel();
    await Promise.all([...this.workers.values()].map((w) => w.done));
  }

  /** Waits until no worker is syncing (tests). */
  async idle(): Promise<void> {
    while ([...this.workers.values()].some((w) => w.state === 'syncing')) {
      await Promise.all([...this.workers.values()].map((w) => w.done));
    }
  }

  private async run(uid: string, worker: Worker): Promise<void> {
    worker.state = 'syncing';
    let outcome: SyncOutcome = {};
    do {
      worker.pending = false;
      try {
        outcome = await this.options.sync(uid);
      } catch (err) {
        this.options.log?.(`sync of pod ${uid} failed: ${errorMessage(err)}`);
        outcome = { requeueAfterMs: this.options.errorRetryMs ?? 2000 };
      }
    } while (worker.pending && !this.stopped && outcome.finished !== true);
    worker.state = 'idle';
    if (outcome.finished === true && !worker.pending) {
      this.workers.delete(uid);
      return;
    }
    if (this.stopped) return;
    if (worker.pending) {
      worker.done = this.run(uid, worker);
      return;
    }
    const after = outcome.requeueAfterMs;
    if (after !== undefined) {
      worker.timer = this.options.clock.setTimer(after, () => this.update(uid));
    }
  }
}
