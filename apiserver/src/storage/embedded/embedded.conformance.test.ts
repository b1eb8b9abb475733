// The shared storage contract against the embedded store: each test gets a fresh directory.
import { describeStorageConformance } from '../conformance.js';
import { openStore, tempDir } from './test-fixtures.js';

describeStorageConformance('embedded', { newStore: async () => openStore(await tempDir()) });
