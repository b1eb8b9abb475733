// Child process for kill9.test.ts: opens the store in argv[2] and writes keys r<argv[3]>/k/<n> with 32 concurrent
// loops forever, printing "ack <key> <modRevision>" once each write is acknowledged. stdout to a
// pipe is synchronous on Linux, so a printed line means the acknowledgement really happened
// before any SIGKILL. Snapshots are frequent so kills also land mid-snapshot and mid-rotation.
import { openEmbeddedStorage } from './index.js';

const [dir, round] = process.argv.slice(2);
if (!dir || !round) throw new Error('usage: kill9-writer.fixture.ts <store-dir> <round>');
const store = await openEmbeddedStorage({
  dir,
  snapshotEveryRecords: 300,
  compactionIntervalMs: 0,
});
let next = 0;
const worker = async (): Promise<void> => {
  for (;;) {
    const key = `r${round}/k/${next++}`;
    const kv = await store.create(key, new TextEncoder().encode(`value of ${key}`));
    process.stdout.write(`ack ${key} ${kv.modRevision}\n`);
  }
};
await Promise.all(Array.from({ length: 32 }, worker));
