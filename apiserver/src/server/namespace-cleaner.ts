// skiff's built-in stand-in for Kubernetes' namespace controller: it empties Terminating
// namespaces and then removes their `kubernetes` finalizer through /finalize, so that
// `kubectl delete namespace` finishes. Objects are deleted as a user would delete them (bound
// pods gracefully, finalizers honoured), so a namespace whose pods wait for their kubelet
// stays Terminating until they are gone. When the controller-manager gains its own namespace
// controller, this can be switched off with `namespaceCleanup: false`.
import type { Clock, Namespace, Timer } from '@skiff/api';
import { isNotFound } from '@skiff/api';
import type { Registries } from '../http/scope.js';
import { asKind } from '../registry/api-object.js';
import { listObjects } from '../registry/list.js';
import { parseListParams } from '../registry/list-options.js';
import type { Registry } from '../registry/registry.js';

export const NAMESPACE_FINALIZER = 'kubernetes';

export class NamespaceCleaner {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly registries: Registries,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** One pass over every Terminating namespace; resolves when it is done. */
  async cleanOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(ms, () => {
      this.cleanOnce()
        .catch((err: unknown) => this.log(`namespace cleanup failed: ${String(err)}`))
        .finally(() => this.schedule(this.intervalMs));
    });
  }

  private async pass(): Promise<void> {
    const namespaces = this.registries.forKind({ group: '', resource: 'namespaces' });
    const all = await listObjects(namespaces, undefined, everything(namespaces));
    for (const item of all.items) {
      const ns = asKind<Namespace>(item);
      if (ns.status?.phase !== 'Terminating' || !ns.metadata.name) continue;
      if (!(ns.spec?.finalizers ?? []).includes(NAMESPACE_FINALIZER)) continue;
      if (await this.empty(ns.metadata.name)) await this.finalize(namespaces, ns.metadata.name);
    }
  }

  /** Deletes what is left in the namespace; true when nothing was left. */
  private async empty(namespace: string): Promise<boolean> {
    let remaining = 0;
    for (const registry of this.registries.all()) {
      if (!registry.kind.namespaced) continue;
      const list = await listObjects(registry, namespace, everything(registry));
      remaining += list.items.length;
      for (const item of list.items) {
        if (item.metadata.deletionTimestamp && (item.metadata.deletionGracePeriodSeconds ?? 0) > 0)
          continue;
        await ignoreNotFound(registry.delete(namespace, item.metadata.name ?? '', {}));
      }
    }
    return remaining === 0;
  }

  private async finalize(namespaces: Registry, name: string): Promise<void> {
    await ignoreNotFound(
      namespaces.update(undefined, name, {
        desired: (current) => {
          const ns = asKind<Namespace>(current);
          const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
          return { ...current, spec: { ...ns.spec, finalizers } };
        },
        subresource: 'finalize',
      }),
    );
  }
}

function everything(registry: Registry): ReturnType<typeof parseListParams> {
  return parseListParams(registry.kind, new URLSearchParams());
}

async function ignoreNotFound(op: Promise<unknown>): Promise<void> {
  try {
    await op;
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
}
