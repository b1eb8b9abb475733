// etcd has no RPC that returns its compaction revision. It does reveal it in one place: a watch
// that starts below the compaction is cancelled with `compact_revision` set. So: first a cheap
// read at revision 1 (succeeds only if nothing was ever compacted), and only if that reports
// compaction, a short-lived watch from revision 1, which etcd answers at once (within its
// 100 ms watcher sync) with the exact revision. Used by compactedRevision() and to fill in
// CompactedError, both rare paths; the hot path never pays for it.
import type { Clock } from '@skiff/api';
import type { Etcd3, IWatchResponse } from 'etcd3';
import { classifyEtcdError } from './etcd-errors.js';

export async function readCompactedRevision(
  client: Etcd3,
  probeKey: Buffer,
  clock: Clock,
  timeoutMs: number,
): Promise<number> {
  try {
    await client.kv.range({ key: probeKey, revision: 1, count_only: true });
    return 0;
  } catch (err) {
    if (classifyEtcdError(err).kind !== 'compacted') throw err;
  }
  return watchForCompactRevision(client, probeKey, clock, timeoutMs);
}

async function watchForCompactRevision(
  client: Etcd3,
  probeKey: Buffer,
  clock: Clock,
  timeoutMs: number,
): Promise<number> {
  const stream = await client.watchClient.watch();
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = clock.setTimer(timeoutMs, () =>
        reject(new Error(`etcd did not report its compaction revision within ${timeoutMs} ms`)),
      );
      const settle = (outcome: () => void): void => {
        timer.cancel();
        outcome();
      };
      stream.on('data', (res: IWatchResponse) => {
        const compacted = Number(res.compact_revision);
        if (compacted > 0) settle(() => resolve(compacted));
        else if (res.canceled)
          settle(() => reject(new Error(`watch cancelled: ${res.cancel_reason}`)));
        else if (res.events.length > 0) {
          settle(() => reject(new Error('history from revision 1 is readable after all')));
        }
      });
      stream.on('error', (err) => settle(() => reject(err)));
      stream.on('end', () => settle(() => reject(new Error('watch stream ended'))));
      stream.write({ create_request: { key: probeKey, start_revision: 1 } });
    });
  } finally {
    stream.cancel();
  }
}
