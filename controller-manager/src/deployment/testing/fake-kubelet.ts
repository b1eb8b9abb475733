// A stand-in for kubelets in tests and benchmarks without nodes: it watches the pods of a
// namespace and writes each new pod's status Running and Ready, as a kubelet would once its
// containers started and its readiness probe passed. Nothing else (no deletion handling: pods
// without a node are deleted at once by the apiserver). Writes go out a bounded number at a
// time, as from a handful of kubelets, and a failed one is tried again.
import { errorMessage, isNotFound, type Pod } from '@skiff/api';
import type { Client } from '@skiff/client';
import { rfc3339 } from '../../meta/time.js';

export interface FakeKubelet {
  /** Stops watching and waits for status writes in flight. */
  stop(): Promise<void>;
  /** Pods marked ready so far. */
  readonly readied: () => number;
}

export interface FakeKubeletOptions {
  /** Status writes in flight at once (default 32). */
  readonly concurrency?: number;
  readonly onError?: (message: string) => void;
}

export async function startFakeKubelet(
  client: Pick<Client, 'pods'>,
  namespace: string,
  options: FakeKubeletOptions = {},
): Promise<FakeKubelet> {
  const pods = client.pods(namespace);
  const concurrency = options.concurrency ?? 32;
  const list = await pods.list();
  const watch = await pods.watch({ resourceVersion: list.metadata?.resourceVersion });
  const seen = new Set<string>();
  const pending: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let readied = 0;
  let stopped = false;

  const writeReady = async (name: string): Promise<void> => {
    try {
      await pods.patch(
        name,
        {
          status: {
            phase: 'Running',
            conditions: [
              { type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) },
            ],
          },
        },
        { type: 'merge', subresource: 'status' },
      );
      readied++;
    } catch (err) {
      // Deleted before its status was written: nothing to report on.
      if (isNotFound(err)) return;
      options.onError?.(`${name}: ${errorMessage(err)} (will retry)`);
      pending.push(name);
    }
  };
  const pump = (): void => {
    while (!stopped && inFlight.size < concurrency) {
      const name = pending.shift();
      if (name === undefined) return;
      const write: Promise<void> = writeReady(name).finally(() => {
        inFlight.delete(write);
        pump();
      });
      inFlight.add(write);
    }
  };
  const observe = (pod: Readonly<Pod>): void => {
    const name = pod.metadata.name ?? '';
    if (seen.has(name) || pod.metadata.deletionTimestamp || isReady(pod)) return;
    seen.add(name);
    pending.push(name);
    pump();
  };
  for (const pod of list.items) observe(pod);
  const loop = (async () => {
    for await (const event of watch) {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') observe(event.object);
    }
  })();
  return {
    readied: () => readied,
    stop: async () => {
      stopped = true;
      watch.stop();
      await loop.catch((err: unknown) => options.onError?.(errorMessage(err)));
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

function isReady(pod: Readonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
