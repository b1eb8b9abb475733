// The shared storage contract against the embedded store: each test gets a fresh directory.
import { describeStorageConformance } from '../testing/conformance.js';
import { openStore, tempDir } from './testing/fixtures.js';

describeStorageConformance('embedded', { newStore: async () => openStore(await tempDir()) });
