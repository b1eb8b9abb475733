// The watch cache over the embedded store, each test in a fresh temporary directory.
import { openTempEmbeddedStore } from '../storage/testing/temp-embedded-store.js';
import { describeWatchCache } from './testing/watch-cache-suite.js';

describeWatchCache('embedded', {
  newStore: () =>
    openTempEmbeddedStore({
      prefix: 'skiff-watchcache-',
      warn: (message) => console.warn(`embedded store: ${message}`),
    }),
});
