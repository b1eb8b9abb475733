// The objects of one resource as a watch shows them, for benchmarks: they observe the cluster the
// way a client would (list, then watch from the list's resourceVersion, relisting if the stream
// breaks) instead of polling lists, which would load the apiserver being measured.
import { errorMessage } from '@skiff/api';
import type { KubeObject, ResourceClient } from '@skiff/client';

type Check<T> = (objects: ReadonlyMap<string, Readonly<T>>) => boolean;

export class WatchedObjects<T extends KubeObject> {
  private objects = new Map<string, Readonly<T>>();
  private readonly waiters = new Set<{ check: Check<T>; resolve: (at: number) => void }>();
  private stopped = false;
  private current: { stop(): void } | undefined;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: ResourceClient<T>,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts watching; resolves once the first list is in. */
  static async start<T extends KubeObject>(
    client: ResourceClient<T>,
    log: (line: string) => void = () => undefined,
  ): Promise<WatchedObjects<T>> {
    const watched = new WatchedObjects(client, log);
    const listed = await watched.open();
    watched.loop = watched.follow(listed);
    return watched;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Resolves with performance.now() at the first event after which `check` holds (or now). */
  until(check: Check<T>): Promise<number> {
    if (check(this.objects)) return Promise.resolve(performance.now());
    return new Promise((resolve) => this.waiters.add({ check, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.stop();
    await this.loop;
  }

  private async open() {
    const list = await this.client.list();
    this.objects = new Map(list.items.map((o) => [o.metadata?.name ?? '', o]));
    const watch = await this.client.watch({ resourceVersion: list.metadata?.resourceVersion });
    this.current = watch;
    this.notify();
    return watch;
  }

  private async follow(first: Awaited<ReturnType<WatchedObjects<T>['open']>>): Promise<void> {
    let watch = first;
    for (;;) {
      try {
        for await (const event of watch) {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') {
            this.objects.set(event.object.metadata?.name ?? '', event.object);
          } else if (event.type === 'DELETED') {
            this.objects.delete(event.object.metadata?.name ?? '');
          } else continue;
          this.notify();
        }
      } catch (err) {
        this.log(`  (watch broke, relisting: ${errorMessage(err)})`);
      }
      if (this.stopped) return;
      watch = await this.open();
    }
  }

  private notify(): void {
    const at = performance.now();
    for (const waiter of this.waiters) {
      if (!waiter.check(this.objects)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(at);
    }
  }
}
