// Kubernetes' apiextensions controllers (naming, establishing, finalizer) and its CRD handler's
// storage map, rolled into one loop inside the apiserver. It watches CRDs through their watch
// cache and, per CRD, level-triggered:
//   1. grants names and sets NamesAccepted/Established (./crd-status.ts) through /status;
//   2. serves an established CRD (builds its registries, ./served-resource.ts) or stops serving;
//   3. for a CRD being deleted, deletes its objects and then drops the cleanup finalizer, after
//      which the registry removes the CRD and the resource stops being served.
// `start()` resolves after the first pass over every stored CRD, so a restarted apiserver serves
// existing custom resources from its first request. One worker handles one CRD at a time, which
// makes name grants deterministic: the first CRD to claim a name keeps it.
import {
  builtinKinds,
  isAlreadyExists,
  isConflict,
  isNotFound,
  semanticEqual,
  type Clock,
  type CustomResourceDefinition,
  type Timer,
} from '@skiff/api';
import { WatchCacheError } from '../watchcache/index.js';
import { asApiObject, asKind } from '../registry/api-object.js';
import { listObjects } from '../registry/list.js';
import { parseListParams } from '../registry/list-options.js';
import type { Registry } from '../registry/registry.js';
import { rfc3339 } from '../registry/timestamps.js';
import { CRD_CLEANUP_FINALIZER } from './crd-strategy.js';
import { desiredCrdStatus, isEstablished } from './crd-status.js';
import type { CustomResourceTable } from './custom-resource-table.js';
import { ServedCustomResource, servingSignature, type ServingDeps } from './served-resource.js';

export interface CrdControllerDeps {
  /** The registry of CustomResourceDefinitions; its watch cache feeds the controller. */
  readonly crds: Registry;
  readonly table: CustomResourceTable;
  readonly serving: ServingDeps;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** How soon a deleted CRD whose objects are still held (finalizers) is looked at again. */
  readonly cleanupRetryMs?: number;
}

export class CrdController {
  /** The controller's view of every CRD (the informer's store), newest resourceVersion wins. */
  private readonly known = new Map<string, CustomResourceDefinition>();
  private readonly queue = new Set<string>();
  private readonly timers = new Set<Timer>();
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: CrdControllerDeps) {}

  /** Serves every stored CRD, then keeps watching; resolves after that first pass. */
  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.stop(), { once: true });
    const cache = this.cache();
    await cache.waitReady(this.stopping.signal);
    const revision = await this.relist();
    await this.drain();
    void this.watch(revision).catch((err: unknown) => this.fail('CRD watch', err));
    void this.work().catch((err: unknown) => this.fail('CRD worker', err));
  }

  stop(): void {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.kick();
  }

  private cache(): NonNullable<Registry['cache']> {
    const cache = this.deps.crds.cache;
    if (!cache) throw new Error('the CRD controller needs the CRD registry to have a watch cache');
    return cache;
  }

  // --- the informer half -----------------------------------------------------------------

  /** Replaces the view with the cache's state; returns the revision to watch from. */
  private async relist(): Promise<number> {
    const list = await this.cache().list({ resourceVersion: '0' });
    const items = list.items.map((o) => asKind<CustomResourceDefinition>(o));
    const names = new Set(items.map((crd) => crd.metadata.name ?? ''));
    for (const [name, crd] of this.known) {
      if (!names.has(name)) this.forget(crd);
    }
    for (const crd of items) this.observe(crd);
    return Number(list.resourceVersion);
  }

  private async watch(fromRevision: number): Promise<void> {
    let revision = fromRevision;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        for await (const event of this.cache().watch({ afterRevision: revision, signal })) {
          if (event.type === 'BOOKMARK') continue;
          const crd = asKind<CustomResourceDefinition>(event.object);
          revision = Math.max(revision, Number(crd.metadata.resourceVersion));
          if (event.type === 'DELETED') this.forget(crd);
          else this.observe(crd);
          this.kick();
        }
      } catch (err) {
        if (signal.aborted) return;
        // Cut off (Gone after a relist of the cache, too slow): start again from its state.
        // That is the cache working as designed, so it is a warning; anything else is a bug.
        const report = err instanceof WatchCacheError ? this.deps.serving.warn : this.deps.log;
        report(`CRD watch restarts after: ${String(err)}`);
        revision = await this.relist();
        this.kick();
      }
    }
  }

  private observe(crd: CustomResourceDefinition): void {
    const name = crd.metadata.name ?? '';
    const old = this.known.get(name);
    if (old && Number(old.metadata.resourceVersion) > Number(crd.metadata.resourceVersion)) return;
    this.known.set(name, crd);
    this.enqueueGroup(crd.spec.group, name);
  }

  private forget(crd: CustomResourceDefinition): void {
    const name = crd.metadata.name ?? '';
    this.known.delete(name);
    this.enqueueGroup(crd.spec.group, name);
  }

  /** A CRD's names depend on its group's other CRDs: a change to one revisits them all. */
  private enqueueGroup(group: string, name: string): void {
    this.queue.add(name);
    for (const [other, crd] of this.known) if (crd.spec.group === group) this.queue.add(other);
  }

  // --- the worker half -------------------------------------------------------------------

  private kick(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async work(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.drain();
      if (this.queue.size === 0 && !this.stopping.signal.aborted) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private async drain(): Promise<void> {
    for (const name of this.queue) {
      if (this.stopping.signal.aborted) return;
      this.queue.delete(name);
      try {
        await this.reconcile(name);
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        // A lost race (409) or a CRD gone meanwhile (404) is retried at once from fresh state.
        if (isConflict(err) || isAlreadyExists(err) || isNotFound(err)) this.queue.add(name);
        else {
          this.deps.log(`CRD ${name}: ${String(err)}`);
          this.requeueAfter(name, this.deps.cleanupRetryMs ?? 1000);
        }
      }
    }
  }

  private requeueAfter(name: string, ms: number): void {
    if (this.stopping.signal.aborted) return;
    const timer = this.deps.clock.setTimer(ms, () => {
      this.timers.delete(timer);
      this.queue.add(name);
      this.kick();
    });
    this.timers.add(timer);
  }

  private async reconcile(name: string): Promise<void> {
    const known = this.known.get(name);
    if (!known) {
      this.deps.table.remove(name);
      return;
    }
    const crd = await this.updateStatus(known);
    await this.serve(crd);
    if (crd.metadata.deletionTimestamp !== undefined) await this.cleanUp(crd);
  }

  private async updateStatus(crd: CustomResourceDefinition): Promise<CustomResourceDefinition> {
    const now = rfc3339(this.deps.clock.now());
    const others = [...this.known.values()];
    const wanted = desiredCrdStatus(crd, others, builtinKinds, now);
    if (semanticEqual(wanted, crd.status)) return crd;
    const { obj } = await this.deps.crds.update(undefined, crd.metadata.name ?? '', {
      desired: (current) => {
        const fresh = asKind<CustomResourceDefinition>(current);
        const status = desiredCrdStatus(fresh, others, builtinKinds, now);
        return asApiObject({ ...fresh, status });
      },
      subresource: 'status',
    });
    const updated = asKind<CustomResourceDefinition>(obj);
    this.observe(updated);
    // Our own write is not news for this CRD, only for the others of its group.
    this.queue.delete(crd.metadata.name ?? '');
    return updated;
  }

  private async serve(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name ?? '';
    const names = crd.status?.acceptedNames;
    if (!isEstablished(crd) || !names?.plural || !names.kind) {
      this.deps.table.remove(name);
      return;
    }
    const current = this.deps.table.get(name);
    const terminating = crd.metadata.deletionTimestamp !== undefined;
    if (current?.signature === servingSignature(crd, names)) {
      current.terminating = terminating;
      return;
    }
    const served = new ServedCustomResource(crd, names, this.deps.serving);
    served.terminating = terminating;
    await served.start(this.deps.log);
    if (this.stopping.signal.aborted) {
      served.stop();
      return;
    }
    this.deps.table.set(name, served);
  }

  /** Deletes the CRD's objects; once none is left, lets the CRD itself go. */
  private async cleanUp(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name ?? '';
    if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
    const served = this.deps.table.get(name);
    if (served && (await this.deleteObjects(served.primary)) > 0) {
      this.requeueAfter(name, this.deps.cleanupRetryMs ?? 1000);
      return;
    }
    await this.deps.crds.update(undefined, name, {
      desired: (current) => {
        const finalizers = (current.metadata.finalizers ?? []).filter(
          (f) => f !== CRD_CLEANUP_FINALIZER,
        );
        return { ...current, metadata: { ...current.metadata, finalizers } };
      },
    });
    // Stop serving now rather than when the deletion's watch event comes round.
    if (!(await this.deps.crds.find(undefined, name))) {
      this.known.delete(name);
      this.deps.table.remove(name);
    }
  }

  /** Deletes every object (as a user's DELETE would: finalizers hold); returns how many remain. */
  private async deleteObjects(registry: Registry): Promise<number> {
    const all = parseListParams(registry.kind, new URLSearchParams());
    const before = await listObjects(registry, undefined, all);
    for (const item of before.items) {
      if (item.metadata.deletionTimestamp !== undefined) continue;
      await ignoreNotFound(registry.delete(item.metadata.namespace, item.metadata.name ?? '', {}));
    }
    const after = await listObjects(registry, undefined, all);
    return after.items.length;
  }

  private fail(what: string, err: unknown): void {
    if (!this.stopping.signal.aborted) this.deps.log(`${what} failed: ${String(err)}`);
  }
}

async function ignoreNotFound(op: Promise<unknown>): Promise<void> {
  try {
    await op;
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
}
