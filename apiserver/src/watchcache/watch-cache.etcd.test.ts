// The watch cache over a real etcd: one etcd process for this file, a fresh key prefix per test.
import { useEtcd } from '../storage/testing/etcd-fixture.js';
import { describeWatchCache } from './testing/watch-cache-suite.js';

const fixture = useEtcd();

describeWatchCache('etcd', {
  // The fixture closes its stores when the file ends.
  newStore: async () => ({ storage: await fixture.newStore(), dispose: async () => undefined }),
});
