// How a controller of this package joins the manager: its logic (a Reconciler with event
// handlers) gets a client-runtime Controller — workqueue, workers, retries through the rate
// limiter, workqueue_* metrics under its name — and runs only while the manager leads.
import { setMaxListeners } from 'node:events';
import { Controller, requestKey, type Manager, type Reconciler } from '@skiff/client';
import type { ControllerContext, WorkSink } from './types.js';

export interface AddControllerOptions<L extends Reconciler> {
  /** Kubernetes' name: the workqueue's `name` label and the `controller` label of metrics. */
  readonly name: string;
  /** The event source component, e.g. `replicaset-controller`. */
  readonly component: string;
  /** Keys reconciled at once (`--concurrent-*-syncs`). */
  readonly workers: number;
  /** Builds the logic given where to put work and what every controller gets. */
  readonly build: (queue: WorkSink, context: ControllerContext) => L;
}

export function addController<L extends Reconciler>(
  manager: Manager,
  options: AddControllerOptions<L>,
): L {
  const log = (message: string): void => manager.log(`${options.name}: ${message}`);
  // The controller delegates to the logic built just below; it only calls it once it runs,
  // after this function has returned.
  const controller: Controller = new Controller({
    name: options.name,
    reconciler: {
      reconcile: (request, signal) => {
        // One signal serves every request of a sync (a batch of creates each listens on it).
        setMaxListeners(0, signal);
        return logic.reconcile(request, signal);
      },
    },
    maxConcurrentReconciles: options.workers,
    clock: manager.clock,
    registry: manager.registry,
    log,
  });
  const queue: WorkSink = {
    enqueue: (request) => controller.enqueue(request),
    enqueueAfter: (request, ms) => controller.queue.addAfter(requestKey(request), ms),
  };
  const logic = options.build(queue, {
    clock: manager.clock,
    recorder: manager.eventRecorderFor(options.component),
    log,
  });
  manager.add(controller);
  return logic;
}
