// controller-runtime's builder: says what a controller watches and how each watched object maps
// to a request, then registers the controller with the manager.
//
//   controllerFor(manager)
//     .named('website')                       // logs and metrics; default: the for() kind
//     .for(websiteKind)                       // the kind it reconciles: its own changes
//     .owns('deployments')                    // children: mapped to their controller owner
//     .watches('configMaps', (cm) => [...])   // anything else: a map function says who cares
//     .withOptions({ maxConcurrentReconciles: 2 })
//     .complete(reconciler);
//
// Every watch is an event handler on the manager's shared informer, and every handler does the
// same thing: put the request's key on the controller's queue (see handlers.ts).
import type { KubeObject } from '../rest/index.js';
import type { RateLimiter } from '../workqueue/rate-limiter.js';
import { Controller } from './controller.js';
import {
  enqueueMapped,
  requestForObject,
  requestsForControllerOwner,
  type MapFunc,
} from './handlers.js';
import {
  defaultControllerName,
  resolveKind,
  type KindRef,
  type ObjectOf,
  type ResolvedKind,
} from './kinds.js';
import type { Manager } from './manager.js';
import type { ReconcileFunc, Reconciler } from './reconciler.js';

export interface ControllerBuilderOptions {
  /** How many keys may be reconciled at once (never the same key twice). Default 1. */
  readonly maxConcurrentReconciles?: number;
  readonly rateLimiter?: RateLimiter;
}

interface Watch {
  readonly kind: KindRef;
  readonly map: MapFunc<KubeObject>;
}

export function controllerFor(manager: Manager): ControllerBuilder {
  return new ControllerBuilder(manager);
}

export class ControllerBuilder {
  private name: string | undefined;
  private forKind: { readonly ref: KindRef; readonly resolved: ResolvedKind } | undefined;
  private readonly owned: KindRef[] = [];
  private readonly watched: Watch[] = [];
  private options: ControllerBuilderOptions = {};

  constructor(private readonly manager: Manager) {}

  /** Names the controller (unique in the manager): the `controller` label of its metrics. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** The kind this controller reconciles; each of its objects is one request. */
  for(kind: KindRef): this {
    if (this.forKind) throw new Error('for() may be called only once per controller');
    this.forKind = { ref: kind, resolved: resolveKind(kind) };
    return this;
  }

  /** A kind this controller creates: a change to one wakes its controller owner (for() kind). */
  owns(kind: KindRef): this {
    this.owned.push(kind);
    return this;
  }

  /** Any other kind: `map` says which requests a change to one of its objects concerns. */
  watches<K extends KindRef>(kind: K, map: MapFunc<ObjectOf<K>>): this {
    // Sound: the informer for `kind` only ever hands out objects of that kind.
    this.watched.push({ kind, map: map as MapFunc<KubeObject> });
    return this;
  }

  withOptions(options: ControllerBuilderOptions): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Builds the controller, wires its watches and adds it to the manager. */
  complete(reconciler: Reconciler | ReconcileFunc): Controller {
    const forKind = this.forKind;
    const name = this.name ?? (forKind && defaultControllerName(forKind.resolved));
    if (!name) throw new Error('a controller needs for() or named()');
    if (!forKind && this.owned.length > 0) {
      throw new Error(`controller ${name}: owns() needs for(), the owner kind`);
    }
    if (!forKind && this.watched.length === 0) {
      throw new Error(`controller ${name}: nothing to watch (use for() or watches())`);
    }
    const controller = new Controller({
      name,
      reconciler: typeof reconciler === 'function' ? { reconcile: reconciler } : reconciler,
      clock: this.manager.clock,
      registry: this.manager.registry,
      log: (message) => this.manager.log(`controller ${name}: ${message}`),
      ...this.options,
    });
    const watch = (kind: KindRef, map: MapFunc<KubeObject>): void => {
      this.manager.informerFor(kind).addEventHandler(enqueueMapped(controller, map));
    };
    if (forKind) {
      watch(forKind.ref, requestForObject);
      const owner = forKind.resolved;
      for (const kind of this.owned) watch(kind, requestsForControllerOwner(owner));
    }
    for (const { kind, map } of this.watched) watch(kind, map);
    this.manager.add(controller);
    return controller;
  }
}
