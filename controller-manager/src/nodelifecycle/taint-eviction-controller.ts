// Taint-based eviction (Kubernetes' taint eviction controller): a pod on a node with NoExecute
// taints it does not tolerate is deleted at once; one it tolerates for tolerationSeconds is
// deleted that long after the taint was added (the apiserver's default admission gives every
// pod 300 s for not-ready and unreachable), so its owner replaces it elsewhere; one it tolerates
// forever stays. One key per pod; a pod not due yet is looked at again when it will be.
import { errorMessage, isNotFound, type Node, type Pod } from '@skiff/api';
import type { Client, Lister, Reconciler, Request, Result } from '@skiff/client';
import { Counter, type Registry } from 'prom-client';
import { requestOf, type ControllerContext, type WorkSink } from '../controller/types.js';
import { rfc3339 } from '../meta/time.js';
import { evictionTime } from './taints.js';

export interface TaintEvictionControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'pods'>;
  readonly pods: Lister<Pod>;
  readonly nodes: Lister<Node>;
  readonly queue: WorkSink;
  readonly registry?: Registry;
}

export class TaintEvictionController implements Reconciler {
  private readonly deletions: Counter;

  constructor(private readonly o: TaintEvictionControllerOptions) {
    this.deletions = new Counter({
      name: 'taint_eviction_controller_pod_deletions_total',
      help: 'Total number of Pods deleted by TaintEvictionController since its start.',
      registers: o.registry ? [o.registry] : [],
    });
  }

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const pod = this.o.pods.get(request.namespace ?? '', request.name);
    if (!pod?.spec.nodeName || pod.metadata.deletionTimestamp) return {};
    const node = this.o.nodes.get(pod.spec.nodeName);
    if (!node) return {};
    const now = this.o.clock.now();
    const at = evictionTime(node.spec?.taints ?? [], pod.spec.tolerations ?? [], now);
    if (at === 'never') return {};
    if (at > now) return { requeueAfter: at - now };
    const client = this.o.client.pods(pod.metadata.namespace);
    const name = pod.metadata.name ?? '';
    this.o.recorder.event(
      { ...pod, apiVersion: 'v1', kind: 'Pod' },
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${request.namespace ?? ''}/${name}`,
    );
    try {
      await client.patch(
        name,
        {
          status: {
            conditions: [
              {
                type: 'DisruptionTarget',
                status: 'True',
                reason: 'DeletionByTaintManager',
                message: 'Taint manager: deleting due to NoExecute taint',
                lastTransitionTime: rfc3339(now),
              },
            ],
          },
        },
        { type: 'strategic', subresource: 'status', signal },
      );
      await client.delete(name, { signal });
      this.deletions.inc();
    } catch (err) {
      if (isNotFound(err)) return {};
      throw new Error(`evicting pod ${request.namespace ?? ''}/${name}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return {};
  }

  onPodChange(pod: Readonly<Pod>): void {
    if (pod.spec.nodeName) this.o.queue.enqueue(requestOf(pod));
  }

  /** A node's taints changed: each of its pods looks again. */
  onNodeChange(old: Readonly<Node> | undefined, node: Readonly<Node>): void {
    const taints = (n: Readonly<Node> | undefined) =>
      JSON.stringify((n?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute'));
    if (old && taints(old) === taints(node)) return;
    for (const pod of this.o.pods.list()) {
      if (pod.spec.nodeName === node.metadata.name) this.o.queue.enqueue(requestOf(pod));
    }
  }
}
