// A whole scheduler process, as `skiff scheduler` runs it: the HTTP endpoints, the informers
// (on every replica, so a standby's cache is warm), and — with leader election, the default —
// scheduling only while holding the kube-system/kube-scheduler Lease. A leader that loses the
// lease stops and the process should exit (what it knew may be stale), as kube-scheduler does;
// a leader paused past its renew deadline binds nothing when it wakes: every write first asks
// the elector, whose answer reads the clock.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { realClock, type Clock } from '@skiff/api';
import { LeaderElector, LeaseLock, type Client } from '@skiff/client';
import { Registry as MetricsRegistry } from 'prom-client';
import { decisionsRoute, DecisionStore, DECISIONS_PATH } from './explain/index.js';
import type { Registry } from './framework/index.js';
import type { SchedulerConfig } from './profile/index.js';
import { Scheduler } from './scheduler/scheduler.js';
import { startSchedulerServer } from './server/http-server.js';

export const DEFAULT_SCHEDULER_PORT = 10259;

export interface SchedulerAppOptions {
  readonly client: Client;
  readonly config: SchedulerConfig;
  /** HTTP port for /healthz, /readyz, /metrics; 0 picks a free one. */
  readonly port: number;
  readonly host?: string;
  /** Unique per process; default `${hostname}_${uuid}`. */
  readonly identity?: string;
  readonly registry?: Registry;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface SchedulerApp {
  readonly url: string;
  readonly scheduler: Scheduler;
  /** Whether this replica schedules now. */
  isLeader(): boolean;
  /** Resolves when the app stopped (after `stop()`); rejects if leadership was lost. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function startSchedulerApp(options: SchedulerAppOptions): Promise<SchedulerApp> {
  const { config, client } = options;
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((m) => process.stderr.write(`scheduler: ${m}\n`));
  const metricsRegistry = new MetricsRegistry();
  const election = config.leaderElection;
  let elector: LeaderElector | undefined;
  const isLeader = (): boolean => (election.leaderElect ? (elector?.isLeader() ?? false) : true);
  const decisions = new DecisionStore();
  const scheduler = new Scheduler({
    client,
    config,
    clock,
    log,
    metricsRegistry,
    decisions,
    mayWrite: isLeader,
    ...(options.registry && { registry: options.registry }),
  });
  const server = await startSchedulerServer({
    port: options.port,
    ...(options.host !== undefined && { host: options.host }),
    ready: () => scheduler.hasSynced(),
    registry: metricsRegistry,
    subtrees: {
      [DECISIONS_PATH]: decisionsRoute({
        store: decisions,
        isLeader,
        leader: () => elector?.getLeader(),
      }),
    },
  });
  const stop = new AbortController();
  const run = async (): Promise<void> => {
    try {
      await scheduler.startInformers(stop.signal);
      if (stop.signal.aborted) return;
      if (!election.leaderElect) {
        await scheduler.run(stop.signal);
        return;
      }
      const identity = options.identity ?? `${hostname()}_${randomUUID()}`;
      const lock = new LeaseLock(client, {
        namespace: election.resourceNamespace,
        name: election.resourceName,
        identity,
      });
      let led = false;
      elector = new LeaderElector({
        lock,
        clock,
        registry: metricsRegistry,
        leaseDurationMs: election.leaseDurationMs,
        renewDeadlineMs: election.renewDeadlineMs,
        retryPeriodMs: election.retryPeriodMs,
        callbacks: {
          onStartedLeading: async (term) => {
            led = true;
            log(`${identity} leads (lease ${lock.describe()}): scheduling`);
            await scheduler.run(AbortSignal.any([stop.signal, term]));
          },
          onNewLeader: (id) => {
            if (id !== identity) log(`the leader is ${id}`);
          },
        },
        log: (m) => log(`leader election: ${m}`),
      });
      await elector.run(stop.signal);
      if (led && !stop.signal.aborted)
        throw new Error(`leader election lost (lease ${lock.describe()})`);
    } finally {
      await server.close();
    }
  };
  const done = run();
  // A lost lease rejects `done`; whoever awaits it sees that, and nobody awaiting is not a crash.
  done.catch(() => undefined);
  return {
    url: server.url,
    scheduler,
    isLeader,
    done,
    stop: async () => {
      stop.abort(new Error('stopped'));
      await done.catch(() => undefined);
    },
  };
}
