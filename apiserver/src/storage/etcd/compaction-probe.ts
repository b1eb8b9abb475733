// etcd has no RPC that returns its compaction revision. It does reveal it in one place: a watch
// that starts below the compaction is cancelled with `compact_revision` set. So: first a cheap
// read at revision 1 (succeeds only if nothing was ever compacted), and only if that reports
// compaction, a short-lived watch from revision 1, which etcd answers at once (within its
// 100 ms watcher sync) with the exact revision. Used by compactedRevision() and to fill in
// CompactedError, both rare paths; the hot path never pays for it.
import type { Clock } from '@skiff/api';
import type { EtcdClient, WatchStream } from './client.js';
import { classifyEtcdError } from './etcd-errors.js';

export async function readCompactedRevision(
  client: EtcdClient,
  probeKey: Buffer,
  clock: Clock,
  timeoutMs: number,
): Promise<number> {
  try {
    await client.range({ key: probeKey, revision: 1, count_only: true });
    return 0;
  } catch (err) {
    if (classifyEtcdError(err).kind !== 'compacted') throw err;
  }
  return watchForCompactRevision(client, probeKey, clock, timeoutMs);
}

function watchForCompactRevision(
  client: EtcdClient,
  probeKey: Buffer,
  clock: Clock,
  timeoutMs: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      timer.cancel();
      stream.cancel();
      outcome();
    };
    const timer = clock.setTimer(timeoutMs, () =>
      settle(() =>
        reject(new Error(`etcd did not report its compaction revision within ${timeoutMs} ms`)),
      ),
    );
    const stream: WatchStream = client.watch({
      onMessage: (res) => {
        if (res.compact_revision > 0) settle(() => resolve(res.compact_revision));
        else if (res.canceled) {
          settle(() => reject(new Error(`watch cancelled: ${res.cancel_reason}`)));
        } else if (res.events.length > 0) {
          settle(() => reject(new Error('history from revision 1 is readable after all')));
        }
      },
      onEnd: (err) => settle(() => reject(err)),
    });
    stream.write({ create_request: { key: probeKey, start_revision: 1 } });
  });
}
