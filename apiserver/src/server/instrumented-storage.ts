// Wraps a Storage so every call is timed into apiserver_storage_request_duration_seconds. The
// registry never knows it is measured.
import type { Histogram } from 'prom-client';
import type { Storage } from '../storage/index.js';

export function instrumentedStorage(inner: Storage, histogram: Histogram<'operation'>): Storage {
  const timed = <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    const end = histogram.startTimer({ operation });
    return call().finally(() => end());
  };
  return {
    get: (key, options) => timed('get', () => inner.get(key, options)),
    list: (prefix, options) => timed('list', () => inner.list(prefix, options)),
    create: (key, value) => timed('create', () => inner.create(key, value)),
    update: (key, value, rev) => timed('update', () => inner.update(key, value, rev)),
    delete: (key, options) => timed('delete', () => inner.delete(key, options)),
    watch: (prefix, options) => inner.watch(prefix, options),
    compact: (revision) => timed('compact', () => inner.compact(revision)),
    currentRevision: () => timed('currentRevision', () => inner.currentRevision()),
    compactedRevision: () => timed('compactedRevision', () => inner.compactedRevision()),
    close: () => inner.close(),
  };
}
