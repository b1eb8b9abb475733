// What a reflector needs from the server: list and watch one resource, with the informer's
// scope (namespace, selectors) already applied. A ResourceClient is one; `scoped()` narrows it.
import type { List } from '@skiff/api';
import type {
  ListOptions,
  ResourceClient,
  KubeObject,
  Watch,
  WatchOptions,
} from '../rest/index.js';

export interface ListerWatcher<T> {
  /** Every object (page by page), at the list's resourceVersion. */
  listAll(options: ListOptions): Promise<List<T>>;
  watch(options: WatchOptions): Promise<Watch<T>>;
}

/** The selectors an informer's list and watch both carry (client-go's TweakListOptionsFunc). */
export type SelectorScope = Pick<ListOptions, 'labelSelector' | 'fieldSelector'>;

export function scopedListerWatcher<T extends KubeObject>(
  client: ResourceClient<T>,
  scope: SelectorScope,
): ListerWatcher<T> {
  return {
    listAll: (options) => client.listAll({ ...options, ...scope }),
    watch: (options) => client.watch({ ...options, ...scope }),
  };
}
