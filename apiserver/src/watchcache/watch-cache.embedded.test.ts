// The watch cache over the embedded store, each test in a fresh temporary directory.
import { openTempEmbeddedStore } from './testing/temp-store.js';
import { describeWatchCache } from './watch-cache.suite.js';

describeWatchCache('embedded', { newStore: openTempEmbeddedStore });
