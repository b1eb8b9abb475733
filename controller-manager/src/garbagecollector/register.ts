// Wires the garbage collector into a manager: two queues of uids (Kubernetes' workqueue names
// garbage_collector_attempt_to_delete and garbage_collector_attempt_to_orphan), each a
// client-runtime Controller with rate-limited retries, and the graph builder, whose monitors run
// exactly as long as the attemptToDelete controller does (while this process leads).
import { setMaxListeners } from 'node:events';
import {
  Controller,
  type Client,
  type Manager,
  type Reconciler,
  type RunOptions,
} from '@skiff/client';
import type { ResourceDiscovery } from './discovery.js';
import { GarbageCollector } from './garbage-collector.js';
import { DependencyGraph } from './graph.js';
import { GraphBuilder } from './graph-builder.js';

export const ATTEMPT_TO_DELETE_QUEUE = 'garbage_collector_attempt_to_delete';
export const ATTEMPT_TO_ORPHAN_QUEUE = 'garbage_collector_attempt_to_orphan';

/** A controller that runs the graph builder alongside its workers. */
class GraphHostingController extends Controller {
  constructor(
    options: ConstructorParameters<typeof Controller>[0],
    private readonly builder: GraphBuilder,
  ) {
    super(options);
  }

  override async run(signal: AbortSignal, options?: RunOptions): Promise<void> {
    const stop = new AbortController();
    const building = this.builder.run(AbortSignal.any([signal, stop.signal]));
    try {
      await super.run(signal, options);
    } finally {
      stop.abort();
      await building;
    }
  }
}

export function addGarbageCollector(
  manager: Manager,
  client: Client,
  options: { readonly workers: number; readonly discovery: ResourceDiscovery },
): GarbageCollector {
  const log = (message: string): void => manager.log(`garbagecollector: ${message}`);
  const graph = new DependencyGraph();
  const queues: { delete?: Controller; orphan?: Controller } = {};
  const enqueue = (controller: Controller | undefined, uid: string): void => {
    controller?.enqueue({ name: uid });
  };
  const builder = new GraphBuilder({
    client,
    discovery: options.discovery,
    graph,
    clock: manager.clock,
    log,
    onWork: (work) => {
      for (const uid of work.attemptToDelete) enqueue(queues.delete, uid);
      for (const uid of work.attemptToOrphan) enqueue(queues.orphan, uid);
    },
  });
  const collector = new GarbageCollector({
    client,
    graph,
    discovery: () => builder.discovery(),
    refreshDiscovery: (signal) => builder.resync(signal),
    waitForSync: (signal) => builder.waitForSync(signal),
    attemptToDelete: (uid) => enqueue(queues.delete, uid),
    log,
  });
  const common = {
    maxConcurrentReconciles: options.workers,
    clock: manager.clock,
    registry: manager.registry,
    log,
  };
  queues.delete = new GraphHostingController(
    {
      ...common,
      name: ATTEMPT_TO_DELETE_QUEUE,
      reconciler: manyListeners(collector.attemptToDeleteWorker),
    },
    builder,
  );
  queues.orphan = new Controller({
    ...common,
    name: ATTEMPT_TO_ORPHAN_QUEUE,
    reconciler: manyListeners(collector.attemptToOrphanWorker),
  });
  manager.add(queues.delete);
  manager.add(queues.orphan);
  return collector;
}

/** One signal serves all of a sync's requests (and the wait for the graph): no listener cap. */
function manyListeners(reconciler: Reconciler): Reconciler {
  return {
    reconcile: (request, signal) => {
      setMaxListeners(0, signal);
      return reconciler.reconcile(request, signal);
    },
  };
}
