// The embedded storage backend: the durable single-machine store `skiff up` runs on.
export {
  openEmbeddedStorage,
  DEFAULT_COMPACTION_INTERVAL_MS,
  type EmbeddedStorage,
  type EmbeddedStorageOptions,
  type EmbeddedStorageStats,
} from './embedded-storage.js';
