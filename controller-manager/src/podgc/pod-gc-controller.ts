// The pod garbage collector (Kubernetes' podgc): not driven by events but by a period
// (gcCheckPeriod, 20 s) — one key that requeues itself. Each pass reads the caches, decides
// (pods-to-collect.ts) and force-deletes. A node missing from the cache is only trusted gone
// after a quarantine (40 s) and a read from the apiserver: a node informer that is a little
// behind must not cost a node all its pods.
import { errorMessage, isNotFound, type Node, type Pod } from '@skiff/api';
import type { Client, Lister, Reconciler, Result } from '@skiff/client';
import { Counter, type Registry } from 'prom-client';
import type { ControllerContext, WorkSink } from '../controller/types.js';
import { rfc3339 } from '../meta/time.js';
import {
  missingNodes,
  podsOnGoneNodes,
  terminatedPodsOverThreshold,
  unscheduledTerminatingPods,
} from './pods-to-collect.js';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;
/** The one key the collector's queue holds. */
export const POD_GC_KEY = 'podgc';

export interface PodGCControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'pods' | 'nodes'>;
  readonly pods: Lister<Pod>;
  readonly nodes: Lister<Node>;
  readonly queue: WorkSink;
  /** --terminated-pod-gc-threshold (12500); 0 keeps every terminated pod. */
  readonly terminatedPodThreshold: number;
  readonly registry?: Registry;
}

type Reason = 'terminated' | 'orphaned' | 'unscheduled';

export class PodGCController implements Reconciler {
  /** Node name → when the cache was first seen without it. */
  private readonly missingSince = new Map<string, number>();
  private readonly deleted: Counter<'namespace' | 'reason'>;
  private readonly errors: Counter<'namespace' | 'reason'>;

  constructor(private readonly options: PodGCControllerOptions) {
    const registers = options.registry ? [options.registry] : [];
    this.deleted = new Counter({
      name: 'pod_gc_collector_force_delete_pods_total',
      help: 'Number of pods that are being forcefully deleted since the Pod GC Controller started.',
      labelNames: ['namespace', 'reason'],
      registers,
    });
    this.errors = new Counter({
      name: 'pod_gc_collector_force_delete_pod_errors_total',
      help: 'Number of errors encountered when forcefully deleting the pods since the Pod GC Controller started.',
      labelNames: ['namespace', 'reason'],
      registers,
    });
    options.queue.enqueue({ name: POD_GC_KEY });
  }

  async reconcile(_request: unknown, signal: AbortSignal): Promise<Result> {
    const pods = this.options.pods.list();
    await this.deleteAll(
      terminatedPodsOverThreshold(pods, this.options.terminatedPodThreshold),
      'terminated',
      signal,
    );
    const gone = await this.goneNodes(pods, signal);
    await this.deleteAll(podsOnGoneNodes(pods, gone), 'orphaned', signal);
    await this.deleteAll(unscheduledTerminatingPods(pods), 'unscheduled', signal);
    return { requeueAfter: GC_CHECK_PERIOD_MS };
  }

  /** Nodes missing from the cache for the quarantine and confirmed absent by the apiserver. */
  private async goneNodes(
    pods: readonly Readonly<Pod>[],
    signal: AbortSignal,
  ): Promise<Set<string>> {
    const known = new Set(this.options.nodes.list().map((n) => n.metadata.name ?? ''));
    const missing = missingNodes(pods, known);
    const now = this.options.clock.now();
    for (const node of this.missingSince.keys()) {
      if (!missing.has(node)) this.missingSince.delete(node);
    }
    const gone = new Set<string>();
    for (const node of missing) {
      const since = this.missingSince.get(node);
      if (since === undefined) {
        this.missingSince.set(node, now);
        continue;
      }
      if (now - since < QUARANTINE_MS) continue;
      try {
        await this.options.client.nodes().get(node, { signal });
        this.missingSince.delete(node); // it exists after all: the cache was behind
      } catch (err) {
        if (!isNotFound(err)) throw err;
        gone.add(node);
      }
    }
    return gone;
  }

  private async deleteAll(
    pods: readonly Readonly<Pod>[],
    reason: Reason,
    signal: AbortSignal,
  ): Promise<void> {
    for (const pod of pods) await this.forceDelete(pod, reason, signal);
  }

  /** Marks a pod that is not finished yet Failed, then deletes it at once (grace period 0). */
  private async forceDelete(
    pod: Readonly<Pod>,
    reason: Reason,
    signal: AbortSignal,
  ): Promise<void> {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const client = this.options.client.pods(namespace);
    try {
      const phase = pod.status?.phase;
      if (reason !== 'terminated' && phase !== 'Succeeded' && phase !== 'Failed') {
        // An orphan also says why it went (the DisruptionTarget condition), as in Kubernetes.
        const disruption = reason === 'orphaned' && {
          conditions: [
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'DeletionByPodGC',
              message: 'PodGC: node no longer exists',
              lastTransitionTime: rfc3339(this.options.clock.now()),
            },
          ],
        };
        await client.patch(
          name,
          { status: { phase: 'Failed', ...disruption } },
          { type: 'strategic', subresource: 'status', signal },
        );
      }
      await client.delete(name, { gracePeriodSeconds: 0, signal });
      this.deleted.inc({ namespace, reason });
      this.options.log(`deleted pod ${namespace}/${name} (${reason})`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.errors.inc({ namespace, reason });
      this.options.log(
        `failed to delete pod ${namespace}/${name} (${reason}): ${errorMessage(err)}`,
      );
    }
  }
}
