// Kubernetes' namespace controller: a namespace with a deletionTimestamp is emptied of every
// namespaced resource the apiserver serves (built-ins and custom resources, found by discovery
// on each pass), its deletion conditions say how that goes, and once nothing is left the
// `kubernetes` finalizer comes off through namespaces/<name>/finalize, after which the apiserver
// removes the namespace. While content remains (pods terminating gracefully, objects held by
// finalizers) it looks again after about half the time that should take.
import { errorMessage, isNotFound, type Namespace } from '@skiff/api';
import type { Client, Lister, Reconciler, Request, Result } from '@skiff/client';
import type { ControllerContext, WorkSink } from '../controller/types.js';
import { rfc3339 } from '../meta/time.js';
import { deleteContentOf } from './content-deleter.js';
import {
  aggregateMessage,
  finalizersMessage,
  remainingMessage,
  updatedConditions,
  type Failure,
} from './deletion-conditions.js';
import type { DiscoveredResource, NamespacedResourceDiscovery } from './discovery.js';

/** The finalizer the namespace controller owns (spec.finalizers, not metadata.finalizers). */
export const KUBERNETES_FINALIZER = 'kubernetes';

export interface NamespaceControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'namespaces' | 'resource'>;
  readonly namespaces: Lister<Namespace>;
  readonly discovery: NamespacedResourceDiscovery;
  readonly queue: WorkSink;
}

/** What one pass over the namespace's content found. */
interface ContentPass {
  readonly failures: Failure[];
  readonly errors: string[];
  readonly remaining: number;
  readonly estimateSeconds: number;
}

export class NamespaceController implements Reconciler {
  constructor(private readonly options: NamespaceControllerOptions) {}

  onNamespaceChange(ns: Readonly<Namespace>): void {
    if (ns.metadata.deletionTimestamp) this.options.queue.enqueue({ name: ns.metadata.name ?? '' });
  }

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const cached = this.options.namespaces.get(request.name);
    if (!cached?.metadata.deletionTimestamp) return {};
    // Read it live: the cache may be behind a finalize this controller already did.
    let ns: Namespace;
    try {
      ns = await this.options.client.namespaces().get(request.name, { signal });
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return {};
    if (!(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return {};

    const pass = await this.deleteAllContent(request.name, signal);
    ns = await this.writeConditions(ns, pass.failures, signal);
    if (pass.errors.length > 0) throw new Error(aggregateMessage(pass.errors));
    if (pass.remaining > 0) {
      // Kubernetes waits half the estimate (plus a second) before it looks again.
      return { requeueAfter: (Math.floor(pass.estimateSeconds / 2) + 1) * 1000 };
    }
    await this.finalize(ns, signal);
    return {};
  }

  private async deleteAllContent(namespace: string, signal: AbortSignal): Promise<ContentPass> {
    const failures: Failure[] = [];
    const errors: string[] = [];
    let resources: readonly DiscoveredResource[] = [];
    try {
      const discovered = await this.options.discovery.namespacedResources(signal);
      resources = discovered.resources;
      if (discovered.failedGroups.size > 0) {
        const failing = [...discovered.failedGroups]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([gv, message]) => `${gv}:${message}`);
        const message = `Discovery failed for some groups, ${failing.length} failing: map[${failing.join(' ')}]`;
        failures.push({
          type: 'NamespaceDeletionDiscoveryFailure',
          reason: 'DiscoveryFailed',
          message,
        });
        errors.push(message);
      }
      if (discovered.unparsableGroupVersions.length > 0) {
        const message = `Failed to parse group versions: ${aggregateMessage(
          discovered.unparsableGroupVersions.map((gv) => `unexpected GroupVersion string: ${gv}`),
        )}`;
        failures.push({
          type: 'NamespaceDeletionGroupVersionParsingFailure',
          reason: 'GroupVersionParsingFailed',
          message,
        });
        errors.push(message);
      }
    } catch (err) {
      const message = errorMessage(err);
      failures.push({
        type: 'NamespaceDeletionDiscoveryFailure',
        reason: 'DiscoveryFailed',
        message,
      });
      errors.push(message);
    }

    const contentErrors: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    let estimateSeconds = 0;
    for (const resource of resources) {
      try {
        const result = await deleteContentOf(this.options.client, resource, namespace, signal);
        estimateSeconds = Math.max(estimateSeconds, result.estimateSeconds);
        if (result.remaining > 0)
          remaining.set(`${resource.resource}.${resource.group}`, result.remaining);
        for (const [f, n] of result.finalizers) finalizers.set(f, (finalizers.get(f) ?? 0) + n);
      } catch (err) {
        if (signal.aborted) throw err;
        contentErrors.push(errorMessage(err));
      }
    }
    if (contentErrors.length > 0) {
      const message = `Failed to delete all resource types, ${contentErrors.length} remaining: ${aggregateMessage(contentErrors)}`;
      failures.push({
        type: 'NamespaceDeletionContentFailure',
        reason: 'ContentDeletionFailed',
        message,
      });
      errors.push(message);
    }
    if (remaining.size > 0) {
      failures.push({
        type: 'NamespaceContentRemaining',
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${remainingMessage(remaining)}`,
      });
    }
    if (finalizers.size > 0) {
      failures.push({
        type: 'NamespaceFinalizersRemaining',
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${finalizersMessage(finalizers)}`,
      });
    }
    const count = [...remaining.values()].reduce((a, b) => a + b, 0);
    return { failures, errors, remaining: count, estimateSeconds };
  }

  /** Writes the conditions (and phase Terminating) when they changed; answers the namespace. */
  private async writeConditions(
    ns: Namespace,
    failures: readonly Failure[],
    signal: AbortSignal,
  ): Promise<Namespace> {
    const current = ns.status?.conditions ?? [];
    const conditions = updatedConditions(current, failures, rfc3339(this.options.clock.now()));
    const unchanged =
      ns.status?.phase === 'Terminating' &&
      conditions.length === current.length &&
      conditions.every((c, i) => c === current[i]);
    if (unchanged) return ns;
    return this.options.client
      .namespaces()
      .updateStatus(
        { ...ns, status: { ...ns.status, phase: 'Terminating', conditions } },
        { signal },
      );
  }

  /** Removes `kubernetes` from spec.finalizers; the apiserver then deletes the namespace. */
  private async finalize(ns: Namespace, signal: AbortSignal): Promise<void> {
    const name = ns.metadata.name ?? '';
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    try {
      await this.options.client
        .namespaces()
        .updateSubresource(
          name,
          'finalize',
          { ...ns, spec: { ...ns.spec, finalizers } },
          { signal },
        );
      this.options.log(`finalized namespace ${name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
