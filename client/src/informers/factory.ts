// SharedInformerFactory: the one place in a process that creates informers, so that every
// consumer of a resource shares one informer — one cache, one list, one watch. The scheduler and
// three controllers asking for pods get the same object back. Informers are created lazily, on
// first request; start() runs those not yet running (call it again after asking for more).
//
// A factory has one scope for all its informers: everything (the default), one namespace,
// and/or label and field selectors. A kubelet, say, keeps a factory scoped to
// `spec.nodeName=<its node>` for pods beside an unscoped one for everything else.
import { builtinKinds, kindForResource, type Clock } from '@skiff/api';
import type {
  Client,
  ClusterKinds,
  GroupVersionResource,
  KubeObject,
  NamespacedKinds,
  Unstructured,
} from '../rest/index.js';
import { helperName } from '../rest/typed-clients.js';
import type { BackoffOptions } from './backoff.js';
import type { Indexers } from './indexer.js';
import { scopedListerWatcher, type SelectorScope } from './list-watch.js';
import { SharedIndexInformer } from './shared-informer.js';

export interface SharedInformerFactoryOptions {
  /** Default resync period of the informers (0 or omitted: no resync). */
  readonly resyncPeriodMs?: number;
  /** Only this namespace's objects (for namespaced resources); omitted: all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: SelectorScope['labelSelector'];
  readonly fieldSelector?: SelectorScope['fieldSelector'];
  /** Last word on the selectors every list and watch carries (client-go's tweakListOptions). */
  readonly tweakListOptions?: (scope: SelectorScope) => SelectorScope;
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
  readonly watchTimeoutSeconds?: () => number;
  readonly log?: (message: string) => void;
  /** Every informer's transform (client-go's WithTransform), e.g. stripManagedFields. */
  readonly transform?: <T extends KubeObject>(obj: T) => T;
}

export interface InformerOptions<T> {
  /** Indexes beyond the namespace index, added to the shared informer if it lacks them. */
  readonly indexers?: Indexers<T>;
}

/** Kinds by their client helper name: `pods`, `configMaps`, `nodes`, … */
export type BuiltinKinds = NamespacedKinds & ClusterKinds;

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private readonly stop = new AbortController();

  /** `factory.core.v1.pods()`: the typed informers, grouped as client-go's are. */
  readonly core = {
    v1: {
      pods: (options?: InformerOptions<BuiltinKinds['pods']>) => this.informerFor('pods', options),
      services: (options?: InformerOptions<BuiltinKinds['services']>) =>
        this.informerFor('services', options),
      endpoints: (options?: InformerOptions<BuiltinKinds['endpoints']>) =>
        this.informerFor('endpoints', options),
      events: (options?: InformerOptions<BuiltinKinds['events']>) =>
        this.informerFor('events', options),
      configMaps: (options?: InformerOptions<BuiltinKinds['configMaps']>) =>
        this.informerFor('configMaps', options),
      secrets: (options?: InformerOptions<BuiltinKinds['secrets']>) =>
        this.informerFor('secrets', options),
      nodes: (options?: InformerOptions<BuiltinKinds['nodes']>) =>
        this.informerFor('nodes', options),
      namespaces: (options?: InformerOptions<BuiltinKinds['namespaces']>) =>
        this.informerFor('namespaces', options),
    },
  };
  readonly apps = {
    v1: {
      replicaSets: (options?: InformerOptions<BuiltinKinds['replicaSets']>) =>
        this.informerFor('replicaSets', options),
      deployments: (options?: InformerOptions<BuiltinKinds['deployments']>) =>
        this.informerFor('deployments', options),
    },
  };
  readonly discovery = {
    v1: {
      endpointSlices: (options?: InformerOptions<BuiltinKinds['endpointSlices']>) =>
        this.informerFor('endpointSlices', options),
    },
  };
  readonly coordination = {
    v1: {
      leases: (options?: InformerOptions<BuiltinKinds['leases']>) =>
        this.informerFor('leases', options),
    },
  };
  readonly apiextensions = {
    v1: {
      customResourceDefinitions: (
        options?: InformerOptions<BuiltinKinds['customResourceDefinitions']>,
      ) => this.informerFor('customResourceDefinitions', options),
    },
  };

  constructor(
    private readonly client: Client,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  /** The informer of a built-in kind, by its client helper name: `informerFor('pods')`. */
  informerFor<K extends keyof BuiltinKinds>(
    resource: K,
    options: InformerOptions<BuiltinKinds[K]> = {},
  ): SharedIndexInformer<BuiltinKinds[K]> {
    const kind = builtinKinds.find((k) => helperName(k) === resource);
    if (!kind) throw new Error(`no built-in kind is served as "${resource}"`);
    return this.forResource<BuiltinKinds[K]>(kind, options);
  }

  /** The informer of any group/version/resource, custom resources included. */
  forResource<T extends KubeObject = Unstructured>(
    gvr: GroupVersionResource,
    options: InformerOptions<T> = {},
  ): SharedIndexInformer<T> {
    const id = `${gvr.resource}.${gvr.version}.${gvr.group}`;
    // Sound: an id is only ever stored with the informer made for that resource's type.
    let informer = this.informers.get(id) as SharedIndexInformer<T> | undefined;
    if (!informer) {
      informer = this.newInformer<T>(gvr);
      this.informers.set(id, informer as unknown as SharedIndexInformer<KubeObject>);
    }
    const shared = informer;
    const missing = Object.entries(options.indexers ?? {}).filter(
      ([name]) => !shared.indexer.hasIndexer(name),
    );
    if (missing.length > 0) shared.addIndexers(Object.fromEntries(missing));
    return shared;
  }

  /** Runs every informer made so far that is not running yet, until `signal` (or shutdown). */
  start(signal: AbortSignal): void {
    const both = AbortSignal.any([signal, this.stop.signal]);
    for (const informer of this.informers.values()) {
      if (!informer.isStarted()) this.runs.push(informer.run(both));
    }
  }

  /**
   * Waits until every started informer has synced, or `signal` aborts. Answers, per resource,
   * whether it synced (client-go's map of type → bool).
   */
  async waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>> {
    const started = [...this.informers].filter(([, informer]) => informer.isStarted());
    const results = await Promise.all(started.map(([, informer]) => informer.waitForSync(signal)));
    return new Map(started.map(([id], i) => [id, results[i] ?? false]));
  }

  /** Stops every informer and waits for them to finish. */
  async shutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.runs);
  }

  private newInformer<T extends KubeObject>(gvr: GroupVersionResource): SharedIndexInformer<T> {
    const { namespace, labelSelector, fieldSelector, tweakListOptions } = this.options;
    // A cluster-scoped built-in ignores the namespace; an unknown (custom) resource is taken to
    // be namespaced when the factory has a namespace, as client-go's dynamic factory does.
    const namespaced = kindForResource(gvr.group, gvr.version, gvr.resource)?.namespaced ?? true;
    const resource = this.client.resource<T>(gvr, namespaced ? namespace : undefined);
    const base: SelectorScope = {
      ...(labelSelector !== undefined && { labelSelector }),
      ...(fieldSelector !== undefined && { fieldSelector }),
    };
    return new SharedIndexInformer<T>(
      scopedListerWatcher(resource, tweakListOptions ? tweakListOptions(base) : base),
      {
        name: gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource,
        resyncPeriodMs: this.options.resyncPeriodMs,
        clock: this.options.clock,
        backoff: this.options.backoff,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        log: this.options.log,
        ...(this.options.transform && { transform: this.options.transform }),
      },
    );
  }
}
