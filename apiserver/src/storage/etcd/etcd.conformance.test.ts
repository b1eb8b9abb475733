// The shared storage contract against a real etcd: one etcd process for this file, one fresh
// key prefix per store (see ../testing/etcd-fixture.ts).
import { describeStorageConformance } from '../testing/conformance.js';
import { useEtcd } from '../testing/etcd-fixture.js';

const fixture = useEtcd();

describeStorageConformance('etcd', { newStore: () => fixture.newStore() });
