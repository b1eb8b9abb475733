// What one watcher sees of one event, as Kubernetes' cacher decides it. With a selector, a watch
// reports transitions, not just matches: an object that is modified into the selection arrives as
// ADDED, one modified out of it as DELETED (carrying its new state), so the client's picture of
// "the objects that match" stays exact without ever seeing the objects that do not.
import type { CacheEvent, ObjectWatchEvent } from './cache-event.js';

export interface WatchFilter<T> {
  /** Only objects in this namespace. */
  readonly namespace?: string;
  /** Only objects this accepts (label and field selectors); must be pure and cheap. */
  readonly predicate?: (object: T) => boolean;
}

/** The record a watcher receives for a live (or replayed) event; undefined: none. */
export function selectEvent<T>(
  filter: WatchFilter<T>,
  event: CacheEvent<T>,
): ObjectWatchEvent<T> | undefined {
  if (filter.namespace !== undefined && event.namespace !== filter.namespace) return undefined;
  const matches = filter.predicate;
  if (!matches) return event.out();
  switch (event.type) {
    // A deletion's object is the last state, so this tests what the watcher was last told about.
    case 'ADDED':
    case 'DELETED':
      return matches(event.object) ? event.out() : undefined;
    case 'MODIFIED': {
      const now = matches(event.object);
      const before = event.prevObject !== undefined && matches(event.prevObject);
      if (now && before) return event.out();
      if (now) return event.asAdded();
      if (before) return event.asLeftSelection();
      return undefined;
    }
  }
}

/** The ADDED record announcing an object's current state to a watch that starts from scratch. */
export function selectInitial<T>(
  filter: WatchFilter<T>,
  entry: CacheEvent<T>,
): ObjectWatchEvent<T> | undefined {
  if (filter.namespace !== undefined && entry.namespace !== filter.namespace) return undefined;
  if (filter.predicate && !filter.predicate(entry.object)) return undefined;
  return entry.asAdded();
}
