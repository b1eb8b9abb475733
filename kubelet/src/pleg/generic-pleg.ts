// The generic PLEG: every relist period (1 s, as Kubernetes') it lists all sandboxes and
// containers, compares with the previous relist (generateEvents) and tells the kubelet which
// pods changed. CRI's GetContainerEvents stream would say it sooner, but not every runtime
// serves it (skiff runtime does not), and a relist is always right.
//
// With a pod cache, a change the cache already holds is no news: the pod worker read the pod
// again after its own actions (it started that container), so it is not synced once more for
// them. Anything else marks the pod stale in the cache, so its sync reads the runtime again.
import { errorMessage, jitterUntil, type Clock } from '@skiff/api';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { podRefOf } from '../container/index.js';
import type { RuntimeService } from '../cri/index.js';
import {
  generateEvents,
  type PlegContainerState,
  type PodLifecycleEvent,
  type RelistRecord,
} from './events.js';
import type { PodCache } from './pod-cache.js';

export const RELIST_PERIOD_MS = 1000;

export interface GenericPlegOptions {
  /** A relist only lists. */
  readonly runtime: Pick<RuntimeService, 'listPodSandbox' | 'listContainers'>;
  readonly clock: Clock;
  readonly relistPeriodMs?: number;
  /** The pods' runtime states the pod workers sync from; changes it lacks mark a pod stale. */
  readonly cache?: PodCache;
  /** Called with each relist's events (possibly none). */
  readonly onEvents: (events: readonly PodLifecycleEvent[]) => void;
  /** How long each relist took, for kubelet_pleg_relist_duration_seconds. */
  readonly observeRelist?: (seconds: number) => void;
  /** What each relist saw, for the running pods and containers gauges. */
  readonly observeRuntime?: (
    sandboxes: readonly PodSandbox__Output[],
    containers: readonly Container__Output[],
  ) => void;
  readonly log?: (message: string) => void;
}

/** CRI enums arrive as their names (`enums: String`). */
function containerState(state: string): PlegContainerState {
  if (state === 'CONTAINER_RUNNING') return 'running';
  if (state === 'CONTAINER_EXITED') return 'exited';
  return 'unknown';
}

function sandboxState(state: string): PlegContainerState {
  return state === 'SANDBOX_READY' ? 'running' : 'exited';
}

export class GenericPleg {
  private previous: RelistRecord = new Map();
  private lastRelistMs = 0;

  constructor(private readonly options: GenericPlegOptions) {}

  /** When the last successful relist finished (for a health check), 0 before the first. */
  lastRelistTime(): number {
    return this.lastRelistMs;
  }

  /** One relist: lists the runtime, reports the changes, and remembers what it saw. */
  async relist(): Promise<readonly PodLifecycleEvent[]> {
    const { runtime, clock } = this.options;
    const started = clock.now();
    const ticket = this.options.cache?.ticket() ?? 0;
    const [sandboxes, containers] = await Promise.all([
      runtime.listPodSandbox(),
      runtime.listContainers(),
    ]);
    const current = new Map<string, Map<string, PlegContainerState>>();
    const add = (labels: Record<string, string>, id: string, state: PlegContainerState): void => {
      const pod = podRefOf(labels);
      if (pod === undefined) return;
      let entry = current.get(pod.uid);
      if (!entry) {
        entry = new Map<string, PlegContainerState>();
        current.set(pod.uid, entry);
      }
      entry.set(id, state);
    };
    for (const s of sandboxes) add(s.labels, s.id, sandboxState(s.state));
    for (const c of containers) add(c.labels, c.id, containerState(c.state));
    this.options.observeRuntime?.(sandboxes, containers);
    const events = this.news(generateEvents(this.previous, current), current, ticket);
    this.options.cache?.noteRelist(new Set(current.keys()), ticket);
    this.previous = current;
    this.lastRelistMs = clock.now();
    this.options.observeRelist?.((this.lastRelistMs - started) / 1000);
    this.options.onEvents(events);
    return events;
  }

  /** The events of pods whose cached state lacks what this relist saw; those pods go stale. */
  private news(
    events: readonly PodLifecycleEvent[],
    current: RelistRecord,
    ticket: number,
  ): readonly PodLifecycleEvent[] {
    const { cache } = this.options;
    if (cache === undefined) return events;
    const stale = new Set<string>();
    for (const uid of new Set(events.map((e) => e.id))) {
      if (!cache.agreesWith(uid, current.get(uid) ?? new Map())) stale.add(uid);
    }
    for (const uid of stale) cache.markStale(uid, ticket);
    return events.filter((e) => stale.has(e.id));
  }

  /** The UIDs of every pod the runtime had at the last relist (to find orphans). */
  knownPods(): string[] {
    return [...this.previous.keys()];
  }

  /** Relists every period until `signal` aborts; a failed relist is logged and retried. */
  run(signal: AbortSignal): Promise<void> {
    const relistOrLog = async (): Promise<void> => {
      try {
        await this.relist();
      } catch (err) {
        this.options.log?.(`PLEG relist failed: ${errorMessage(err)}`);
      }
    };
    const period = this.options.relistPeriodMs ?? RELIST_PERIOD_MS;
    // Not sliding: a relist starts every period, however long the last one took.
    return jitterUntil(relistOrLog, period, 0, false, { clock: this.options.clock, signal });
  }
}
