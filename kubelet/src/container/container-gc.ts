// The container garbage collector (Kubernetes' kuberuntime_gc.go behind container_gc.go): every
// minute, dead containers and sandboxes the kubelet made are removed, with their log files.
//
//   containers  not running and created at least minAge ago, grouped per (pod UID, container
//               name) — an "evict unit" — newest first. A pod that is gone loses them all; every
//               other unit keeps its newest maxPerPodContainer (1: the one lastState and
//               `logs --previous` read); then, if maxContainers ≥ 0, the node keeps at most that
//               many (an equal share per unit, at least 1, then the oldest go first).
//   sandboxes   not ready and holding no container: a gone pod loses them all, any other keeps
//               its newest one.
//   log dirs    <podLogsDirectory>/<namespace>_<name>_<uid> of gone pods, once nothing of theirs
//               is left in the runtime.
//
// The plan is pure (planContainerGC, table-tested); ContainerGC carries it out. The restart count
// lives on each container (its metadata.attempt), so removing older dead ones never lowers it.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, sleepUnlessAborted, type Clock } from '@skiff/api';
import type { Container__Output, PodSandbox__Output } from '@skiff/proto';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from './labels.js';

export interface ContainerGCPolicy {
  /** --minimum-container-ttl-duration (0): how old a dead container must be to go. */
  readonly minAgeMs: number;
  /** --maximum-dead-containers-per-container (1); negative: no limit. */
  readonly maxPerPodContainer: number;
  /** --maximum-dead-containers (-1: no limit). */
  readonly maxContainers: number;
}

export const DEFAULT_CONTAINER_GC_POLICY: ContainerGCPolicy = {
  minAgeMs: 0,
  maxPerPodContainer: 1,
  maxContainers: -1,
};

/** ContainerGCPeriod. */
export const CONTAINER_GC_PERIOD_MS = 60_000;

export interface ContainerGCPlan {
  /** Container IDs, oldest first within each unit. */
  readonly containers: readonly string[];
  /** Container IDs in an unknown state: stopped before they are removed. */
  readonly unknown: readonly string[];
  readonly sandboxes: readonly string[];
}

interface DeadContainer {
  readonly id: string;
  readonly createdAt: number;
  readonly unknown: boolean;
}

const nanosToMillis = (nanos: string): number => Number(BigInt(nanos) / 1_000_000n);
const newestFirst = (a: { createdAt: number }, b: { createdAt: number }): number =>
  b.createdAt - a.createdAt;

/**
 * What to remove, from every container and sandbox the runtime lists (only those carrying the
 * kubelet's pod UID label are considered), at `now`. `podGone(uid)`: the pod is no longer the
 * kubelet's (not in the API, not static) — only asked once the kubelet's sources are synced.
 */
export function planContainerGC(input: {
  readonly containers: readonly Container__Output[];
  readonly sandboxes: readonly PodSandbox__Output[];
  readonly policy: ContainerGCPolicy;
  readonly now: number;
  readonly podGone: (uid: string) => boolean;
  readonly allSourcesReady: boolean;
}): ContainerGCPlan {
  const { policy, now } = input;
  const remove: DeadContainer[] = [];
  const units = new Map<string, { uid: string; dead: DeadContainer[] }>();
  for (const c of input.containers) {
    const uid = c.labels[POD_UID_LABEL];
    if (uid === undefined || c.state === 'CONTAINER_RUNNING') continue;
    const createdAt = nanosToMillis(c.created_at);
    if (now - policy.minAgeMs < createdAt) continue;
    const name = c.labels[CONTAINER_NAME_LABEL] ?? c.metadata?.name ?? '';
    const key = JSON.stringify([uid, name]);
    const unit = units.get(key) ?? { uid, dead: [] };
    unit.dead.push({ id: c.id, createdAt, unknown: c.state === 'CONTAINER_UNKNOWN' });
    units.set(key, unit);
  }
  for (const unit of units.values()) unit.dead.sort(newestFirst);
  /** Removes the oldest `n` of `dead` (sorted newest first) and returns those kept. */
  const removeOldest = (dead: DeadContainer[], n: number): DeadContainer[] => {
    const keep = Math.max(0, dead.length - n);
    remove.push(...dead.slice(keep).reverse());
    return dead.slice(0, keep);
  };
  if (input.allSourcesReady) {
    for (const [key, unit] of units) {
      if (!input.podGone(unit.uid)) continue;
      removeOldest(unit.dead, unit.dead.length);
      units.delete(key);
    }
  }
  const enforcePerUnit = (max: number): void => {
    for (const unit of units.values()) {
      if (unit.dead.length > max) unit.dead = removeOldest(unit.dead, unit.dead.length - max);
    }
  };
  if (policy.maxPerPodContainer >= 0) enforcePerUnit(policy.maxPerPodContainer);
  const count = (): number => [...units.values()].reduce((n, u) => n + u.dead.length, 0);
  if (policy.maxContainers >= 0 && count() > policy.maxContainers) {
    enforcePerUnit(Math.max(1, Math.floor(policy.maxContainers / units.size)));
    if (count() > policy.maxContainers) {
      const all = [...units.values()].flatMap((u) => u.dead).sort(newestFirst);
      removeOldest(all, all.length - policy.maxContainers);
    }
  }

  // Sandboxes, against the containers left once those above are gone.
  const removed = new Set(remove.map((c) => c.id));
  const holding = new Set(
    input.containers.filter((c) => !removed.has(c.id)).map((c) => c.pod_sandbox_id),
  );
  const sandboxesByPod = new Map<string, { id: string; createdAt: number; active: boolean }[]>();
  for (const s of input.sandboxes) {
    const uid = s.labels[POD_UID_LABEL] ?? s.metadata?.uid;
    if (uid === undefined || uid === '') continue;
    const list = sandboxesByPod.get(uid) ?? [];
    list.push({
      id: s.id,
      createdAt: nanosToMillis(s.created_at),
      active: s.state === 'SANDBOX_READY' || holding.has(s.id),
    });
    sandboxesByPod.set(uid, list);
  }
  const sandboxes: string[] = [];
  for (const [uid, list] of sandboxesByPod) {
    list.sort(newestFirst);
    // A pod that is still here keeps its newest sandbox, active or not.
    const keep = input.allSourcesReady && input.podGone(uid) ? 0 : 1;
    sandboxes.push(
      ...list
        .slice(keep)
        .filter((s) => !s.active)
        .map((s) => s.id),
    );
  }
  return {
    containers: remove.map((c) => c.id),
    unknown: remove.filter((c) => c.unknown).map((c) => c.id),
    sandboxes,
  };
}

/** The runtime calls the collector makes. */
export interface ContainerGcRuntime {
  listContainers(): Promise<Container__Output[]>;
  listPodSandbox(): Promise<PodSandbox__Output[]>;
  /** The container's log file (CRI ContainerStatus log_path), removed with it. */
  containerLogPath(containerId: string): Promise<string | undefined>;
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
}

export interface ContainerGCOptions {
  readonly clock: Clock;
  readonly runtime: ContainerGcRuntime;
  readonly policy?: ContainerGCPolicy;
  /** The pod is no longer the kubelet's: not in the API, not static. */
  readonly podGone: (uid: string) => boolean;
  /** Whether the kubelet knows every pod it should (the API's caches are synced). */
  readonly allSourcesReady: () => boolean;
  readonly podLogsDirectory: string;
  /** A Warning Event about the Node (ContainerGCFailed). */
  readonly nodeEvent: (reason: string, message: string) => void;
  readonly log: (message: string) => void;
}

export class ContainerGC {
  /** Pod UIDs seen in the runtime: only their log directories are ever removed. */
  private readonly seen = new Set<string>();

  constructor(private readonly options: ContainerGCOptions) {}

  /** One collection; a removal that fails is logged and the rest goes on. */
  async garbageCollect(): Promise<void> {
    const { runtime, clock, log } = this.options;
    const containers = await runtime.listContainers();
    const sandboxes = await runtime.listPodSandbox();
    const allSourcesReady = this.options.allSourcesReady();
    const plan = planContainerGC({
      containers,
      sandboxes,
      policy: this.options.policy ?? DEFAULT_CONTAINER_GC_POLICY,
      now: clock.now(),
      podGone: this.options.podGone,
      allSourcesReady,
    });
    const attempt = async (what: string, step: () => Promise<void>): Promise<void> => {
      try {
        await step();
      } catch (err) {
        log(`container GC: ${what}: ${errorMessage(err)}`);
      }
    };
    const unknown = new Set(plan.unknown);
    for (const id of plan.containers) {
      await attempt(`removing container ${id}`, async () => {
        // An unknown container may still run: stop it first, as the kubelet does.
        if (unknown.has(id)) await runtime.stopContainer(id, 0);
        const logPath = await runtime.containerLogPath(id);
        await runtime.removeContainer(id);
        if (logPath !== undefined && logPath !== '') await rm(logPath, { force: true });
      });
    }
    for (const id of plan.sandboxes) {
      await attempt(`removing sandbox ${id}`, async () => {
        // It should be stopped already; stopping again is harmless and guards the rare case.
        await runtime.stopPodSandbox(id);
        await runtime.removePodSandbox(id);
      });
    }
    const left = new Set<string>();
    for (const o of [...containers, ...sandboxes]) {
      const uid = o.labels[POD_UID_LABEL];
      if (uid === undefined) continue;
      this.seen.add(uid);
      if (!plan.containers.includes(o.id) && !plan.sandboxes.includes(o.id)) left.add(uid);
    }
    if (allSourcesReady) await this.evictPodLogsDirectories(left);
  }

  /** Removes the log directories of gone pods this kubelet ran, once nothing of theirs is left. */
  private async evictPodLogsDirectories(inRuntime: ReadonlySet<string>): Promise<void> {
    const dir = this.options.podLogsDirectory;
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const name of entries) {
      const uid = name.slice(name.lastIndexOf('_') + 1);
      if (!this.seen.has(uid) || inRuntime.has(uid) || !this.options.podGone(uid)) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      this.seen.delete(uid);
    }
  }

  /** DeleteAllUnusedContainers: the eviction manager's node-level reclaim for disk pressure. */
  deleteAllUnusedContainers(): Promise<void> {
    return this.garbageCollect();
  }

  /** Collects every CONTAINER_GC_PERIOD_MS until `signal` aborts; a failure is an Event. */
  async run(signal: AbortSignal): Promise<void> {
    do {
      try {
        await this.garbageCollect();
      } catch (err) {
        this.options.log(`container garbage collection failed: ${errorMessage(err)}`);
        this.options.nodeEvent('ContainerGCFailed', errorMessage(err));
      }
    } while (await sleepUnlessAborted(this.options.clock, CONTAINER_GC_PERIOD_MS, signal));
  }
}
