// The manager: what a controller process is made of. It holds the client, one shared informer
// factory (so every controller in the process shares one watch per resource), the event
// recorders and the controllers, and runs them in the right order:
//
//   start(signal)
//     → informers start; wait for every cache to sync (a reconcile on a half-filled cache would
//       "see" missing objects and recreate them)
//     → with leader election: stand for election; controllers run only while leading, and stop
//       *at once* when leadership is lost (start() then rejects: exit and start over, as
//       kube-controller-manager does — what a former leader knew may be stale)
//     → on `signal` (signalHandler(): SIGTERM/SIGINT): controllers drain — no new keys, queued
//       and in-flight ones finish — bounded by gracefulShutdownTimeoutMs (and, when leading, by
//       the renew deadline, since the lease is no longer renewed during the drain); then the
//       lease is released, informers and recorders stop, and start() resolves.
//
// Caches start on every replica, leader or not, so a standby that takes over has a warm cache.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { realClock, type Clock } from '@skiff/api';
import { register as globalRegistry, type Registry } from 'prom-client';
import { EventRecorder } from '../events/index.js';
import { SharedInformerFactory, type SharedIndexInformer } from '../informers/index.js';
import { DEFAULT_RENEW_DEADLINE_MS, LeaderElector, LeaseLock } from '../leaderelection/index.js';
import type { Client, KubeObject } from '../rest/index.js';
import type { Controller } from './controller.js';
import {
  serveHttpEndpoints,
  type HttpEndpoints,
  type HttpEndpointsOptions,
} from './http-endpoints.js';
import { resolveKind, type KindRef } from './kinds.js';

export interface LeaderElectionOptions {
  /** The Lease's namespace and name: one lease per controller process kind. */
  readonly namespace: string;
  readonly name: string;
  /** Unique per process; default `${hostname}_${random UUID}`. */
  readonly identity?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** Hand the lease over on shutdown so a standby leads at once. Default true. */
  readonly releaseOnCancel?: boolean;
}

export interface ManagerOptions {
  readonly client: Client;
  readonly clock?: Clock;
  /** Cache (and so reconcile) only this namespace; default all. */
  readonly namespace?: string;
  /** Re-deliver every cached object this often (a safety net for missed work); default never. */
  readonly resyncPeriodMs?: number;
  /** Omitted: no leader election (one replica, or tests). */
  readonly leaderElection?: LeaderElectionOptions;
  /** Longest a graceful shutdown waits for queues to drain. Default 30 s. */
  readonly gracefulShutdownTimeoutMs?: number;
  /** Where controller, workqueue and leader election metrics go; default the global registry. */
  readonly registry?: Registry;
  /** Serve /healthz, /readyz and /metrics here; omitted: no HTTP listener. */
  readonly http?: HttpEndpointsOptions;
  readonly log?: (message: string) => void;
}

export const DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_MS = 30_000;

export class Manager {
  readonly client: Client;
  readonly clock: Clock;
  readonly registry: Registry;
  /** The one informer factory of this process: controllers and their helpers share it. */
  readonly informers: SharedInformerFactory;
  private readonly controllers = new Map<string, Controller>();
  private readonly recorders: EventRecorder[] = [];
  /** Where the manager and its controllers report (reconcile errors, leadership changes). */
  readonly log: (message: string) => void;
  private elector: LeaderElector | undefined;
  private http: HttpEndpoints | undefined;
  private serving: Promise<HttpEndpoints> | undefined;
  private started = false;
  private synced = false;

  constructor(private readonly options: ManagerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.registry = options.registry ?? globalRegistry;
    this.log = options.log ?? ((message) => process.stderr.write(`manager: ${message}\n`));
    this.informers = new SharedInformerFactory(this.client, {
      clock: this.clock,
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.resyncPeriodMs !== undefined && { resyncPeriodMs: options.resyncPeriodMs }),
    });
  }

  /** The shared informer of a kind (the builder's watches use this). */
  informerFor(kind: KindRef): SharedIndexInformer<KubeObject> {
    return this.informers.forResource<KubeObject>(resolveKind(kind).gvr);
  }

  /** An event recorder reporting as `component`; flushed when the manager stops. */
  eventRecorderFor(component: string): EventRecorder {
    const recorder = new EventRecorder(this.client, {
      component,
      clock: this.clock,
      host: hostname(),
    });
    this.recorders.push(recorder);
    return recorder;
  }

  /** Adds a controller (the builder's complete() does this). Only before start(). */
  add(controller: Controller): void {
    if (this.started) throw new Error(`add controller ${controller.name}: the manager has started`);
    if (this.controllers.has(controller.name)) {
      throw new Error(`a controller named ${controller.name} is already registered`);
    }
    this.controllers.set(controller.name, controller);
  }

  /** Whether controllers may act now: leading (or no leader election) and started. */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.started && this.synced;
  }

  /** `http://host:port` of /healthz, /readyz and /metrics, once started with `http`. */
  httpUrl(): string | undefined {
    return this.http?.url;
  }

  /**
   * Serves /healthz, /readyz and /metrics (with `http`) and resolves with their URL once they
   * answer. start() does this first if the caller has not; a component that reports itself
   * started calls it before saying so, as kube-controller-manager serves before it syncs or
   * stands for election, so that a health check right after start-up finds the port open and
   * a port already in use fails the start-up instead of the run.
   */
  async serve(): Promise<string | undefined> {
    if (!this.options.http) return undefined;
    this.serving ??= serveHttpEndpoints(this.options.http, {
      ready: () => this.synced,
      registry: this.registry,
    }).then((http) => (this.http = http));
    return (await this.serving).url;
  }

  /**
   * Runs everything until `signal` aborts, then shuts down gracefully and resolves. Rejects if
   * the caches cannot sync or leadership is lost.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('the manager has already been started');
    this.started = true;
    try {
      await this.serve();
      this.informers.start(signal);
      const synced = await this.informers.waitForCacheSync(signal);
      if (signal.aborted) return;
      const unsynced = [...synced].filter(([, ok]) => !ok).map(([resource]) => resource);
      if (unsynced.length > 0) throw new Error(`caches did not sync: ${unsynced.join(', ')}`);
      this.synced = true;
      const election = this.options.leaderElection;
      if (election) await this.runWhileLeading(signal, election);
      else
        await this.runControllers(
          signal,
          new AbortController().signal,
          () => true,
          this.drainTimeoutMs(),
        );
    } finally {
      await this.stopEverythingElse();
    }
  }

  private async runWhileLeading(
    shutdown: AbortSignal,
    options: LeaderElectionOptions,
  ): Promise<void> {
    const lock = new LeaseLock(this.client, {
      namespace: options.namespace,
      name: options.name,
      identity: options.identity ?? `${hostname()}_${randomUUID()}`,
    });
    let led = false;
    const elector: LeaderElector = new LeaderElector({
      lock,
      clock: this.clock,
      registry: this.registry,
      ...(options.leaseDurationMs !== undefined && { leaseDurationMs: options.leaseDurationMs }),
      ...(options.renewDeadlineMs !== undefined && { renewDeadlineMs: options.renewDeadlineMs }),
      ...(options.retryPeriodMs !== undefined && { retryPeriodMs: options.retryPeriodMs }),
      ...(options.releaseOnCancel !== undefined && { releaseOnCancel: options.releaseOnCancel }),
      callbacks: {
        onStartedLeading: async (term) => {
          led = true;
          this.log(`${lock.identity} started leading on lease ${lock.describe()}`);
          // The lease is not renewed while draining, so the drain must end before the renew
          // deadline, when another candidate may already be counting down to take over.
          const renewDeadlineMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
          const drainMs = Math.min(this.drainTimeoutMs(), renewDeadlineMs);
          await this.runControllers(shutdown, term, () => elector.isLeader(), drainMs);
        },
        onStoppedLeading: () => this.log(`${lock.identity} stopped leading`),
      },
      log: (message) => this.log(`leader election ${lock.describe()}: ${message}`),
    });
    this.elector = elector;
    await elector.run(shutdown);
    if (led && !shutdown.aborted) {
      throw new Error(`leader election lost (lease ${lock.describe()}): stopping`);
    }
  }

  /**
   * Runs every controller until `shutdown` (drain, at most `drainMs`) or `lost` (stop at once:
   * a controller that may no longer act must not reconcile another key).
   */
  private async runControllers(
    shutdown: AbortSignal,
    lost: AbortSignal,
    mayAct: () => boolean,
    drainMs: number,
  ): Promise<void> {
    const work = new AbortController();
    // `lost` also aborts on a clean shutdown (the elector ends the term); only a loss that is
    // not a shutdown stops the work at once.
    const onLost = (): void => {
      if (!shutdown.aborted) work.abort(lost.reason);
    };
    let drainTimer: { cancel(): void } | undefined;
    const onShutdown = (): void => {
      drainTimer = this.clock.setTimer(drainMs, () => {
        this.log(`queues did not drain within ${drainMs} ms: stopping the remaining work`);
        work.abort(new Error('graceful shutdown timed out'));
      });
      const controllers = [...this.controllers.values()];
      void Promise.all(controllers.map((c) => c.shutDownWithDrain())).then(() =>
        drainTimer?.cancel(),
      );
    };
    if (lost.aborted) onLost();
    lost.addEventListener('abort', onLost, { once: true });
    if (shutdown.aborted) onShutdown();
    else shutdown.addEventListener('abort', onShutdown, { once: true });
    try {
      await Promise.all([...this.controllers.values()].map((c) => c.run(work.signal, { mayAct })));
    } finally {
      drainTimer?.cancel();
      lost.removeEventListener('abort', onLost);
      shutdown.removeEventListener('abort', onShutdown);
    }
  }

  private drainTimeoutMs(): number {
    return this.options.gracefulShutdownTimeoutMs ?? DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_MS;
  }

  private async stopEverythingElse(): Promise<void> {
    // Controllers that never ran (shut down before sync, or never leading) drop their keys too.
    for (const controller of this.controllers.values()) controller.queue.shutDown();
    await this.informers.shutdown();
    await Promise.all(this.recorders.map((recorder) => recorder.shutdown()));
    await this.http?.close();
  }
}
