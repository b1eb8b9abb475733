// Keeps the dependency graph fed (Kubernetes' GraphBuilder): one informer ("monitor") per
// resource discovery offers that can be listed, watched and deleted, built-ins and custom
// resources, re-read every 30 s so that monitors start for CRDs that appear and stop for those
// that go. Events update the graph and hand the resulting keys to the queues. The graph is only
// trusted once every current monitor has delivered its initial list (`waitForSync`).
import { errorMessage, type Clock } from '@skiff/api';
import {
  scopedListerWatcher,
  SharedIndexInformer,
  type Client,
  type EventHandlerRegistration,
  type KubeObject,
} from '@skiff/client';
import {
  resourceId,
  type ApiResource,
  type GCDiscovery,
  type ResourceDiscovery,
} from './discovery.js';
import { nodeOf, type DependencyGraph, type GraphWork } from './graph.js';

/** How often resources are discovered again (Kubernetes' GC resyncs on a period too). */
export const REDISCOVERY_PERIOD_MS = 30_000;
/** How often a waiting worker looks at whether the monitors have synced. */
const SYNC_POLL_MS = 100;
const CRDS = 'customresourcedefinitions';

export interface GraphBuilderOptions {
  readonly client: Pick<Client, 'resource'>;
  readonly discovery: ResourceDiscovery;
  readonly graph: DependencyGraph;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Where the keys a graph change calls for go. */
  readonly onWork: (work: GraphWork) => void;
}

interface Monitor {
  readonly resource: ApiResource;
  readonly stop: AbortController;
  readonly registration: EventHandlerRegistration;
  readonly done: Promise<void>;
  readonly objects: () => readonly Readonly<KubeObject>[];
}

export class GraphBuilder {
  private readonly monitors = new Map<string, Monitor>();
  private latest: GCDiscovery | undefined;
  private inflight: Promise<void> | undefined;
  /** Ends the current wait between rediscoveries early. */
  private wake = new AbortController();

  constructor(private readonly options: GraphBuilderOptions) {}

  /** The last discovery's answer (owner kinds → resources), once there is one. */
  discovery(): GCDiscovery | undefined {
    return this.latest;
  }

  /** Discovers and follows resources until `signal` aborts, then stops every monitor. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        await this.resync(signal);
        this.wake = new AbortController();
        await this.options.clock
          .sleep(REDISCOVERY_PERIOD_MS, AbortSignal.any([signal, this.wake.signal]))
          .catch(() => undefined);
      }
    } finally {
      const monitors = [...this.monitors.values()];
      this.monitors.clear();
      for (const m of monitors) m.stop.abort();
      await Promise.all(monitors.map((m) => m.done));
    }
  }

  /** Discover again soon, e.g. because a CRD came or went. */
  requestResync(): void {
    this.wake.abort();
  }

  /**
   * One discovery: start monitors for new resources, stop those of resources gone. Callers at
   * the same time share one round (every worker that meets an unknown owner kind asks for one).
   */
  resync(signal: AbortSignal): Promise<void> {
    this.inflight ??= this.discoverOnce(signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async discoverOnce(signal: AbortSignal): Promise<void> {
    let found: GCDiscovery;
    try {
      found = await this.options.discovery.discover(signal);
    } catch (err) {
      if (!signal.aborted) this.options.log(`discovery failed: ${errorMessage(err)}`);
      return;
    }
    for (const [gv, why] of found.failedGroups) {
      this.options.log(`discovery of ${gv} failed: ${why}`);
    }
    this.latest = found;
    const wanted = new Map(found.monitored.map((r) => [resourceId(r), r]));
    for (const [id, monitor] of this.monitors) {
      // A group that failed this round keeps its monitors; only a resource really gone stops.
      const gv = monitor.resource.group
        ? `${monitor.resource.group}/${monitor.resource.version}`
        : monitor.resource.version;
      if (wanted.has(id) || found.failedGroups.has(gv)) continue;
      this.options.log(`stopped monitoring ${id}`);
      monitor.stop.abort();
      this.monitors.delete(id);
      // Its objects leave the graph with it (the apiserver deleted them before the resource
      // went); their dependents are checked, each against the apiserver.
      for (const obj of monitor.objects()) {
        this.options.onWork(this.options.graph.remove(obj.metadata?.uid ?? ''));
      }
    }
    for (const [id, resource] of wanted) {
      if (!this.monitors.has(id) && !signal.aborted) this.startMonitor(id, resource, signal);
    }
  }

  /** Whether discovery has answered and every monitor has delivered its initial list. */
  hasSynced(): boolean {
    if (!this.latest) return false;
    return [...this.monitors.values()].every((m) => m.registration.hasSynced());
  }

  /** Resolves once synced; rejects if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<void> {
    while (!this.hasSynced()) await this.options.clock.sleep(SYNC_POLL_MS, signal);
  }

  private startMonitor(id: string, resource: ApiResource, signal: AbortSignal): void {
    const { client, graph, onWork, clock, log } = this.options;
    const objects = client.resource<KubeObject>(resource, undefined);
    const informer = new SharedIndexInformer<KubeObject>(scopedListerWatcher(objects, {}), {
      name: `garbagecollector ${id}`,
      clock,
      log,
    });
    const upsert = (obj: Readonly<KubeObject>): void => {
      onWork(graph.upsert(nodeOf(obj, resource, resource.kind)));
    };
    // A CRD that comes or goes changes what there is to monitor: look again now rather than
    // at the next period.
    const crds = resource.group === 'apiextensions.k8s.io' && resource.resource === CRDS;
    const changed = (): void => {
      if (crds) this.requestResync();
    };
    const registration = informer.addEventHandler({
      onAdd: (obj) => {
        upsert(obj);
        changed();
      },
      onUpdate: (_old, obj) => {
        upsert(obj);
        changed();
      },
      onDelete: (obj) => {
        onWork(graph.remove(obj.metadata?.uid ?? ''));
        changed();
      },
    });
    const stop = new AbortController();
    const done = informer.run(AbortSignal.any([signal, stop.signal])).catch((err: unknown) => {
      log(`monitor ${id} ended: ${errorMessage(err)}`);
    });
    this.monitors.set(id, {
      resource,
      stop,
      registration,
      done,
      objects: () => informer.indexer.list(),
    });
  }
}
