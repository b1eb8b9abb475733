// A stand-in for kubelets in tests and benchmarks without nodes: it watches the pods of a
// namespace and writes each new pod's status Running and Ready, as a kubelet would once its
// containers started and its readiness probe passed. Nothing else (no deletion handling: pods
// without a node are deleted at once by the apiserver).
import { errorMessage, isNotFound, type Pod } from '@skiff/api';
import type { Client } from '@skiff/client';
import { rfc3339 } from '../../meta/time.js';

export interface FakeKubelet {
  /** Stops watching and waits for status writes in flight. */
  stop(): Promise<void>;
  /** Pods marked ready so far. */
  readonly readied: () => number;
}

export async function startFakeKubelet(
  client: Pick<Client, 'pods'>,
  namespace: string,
  options: { readonly onError?: (message: string) => void } = {},
): Promise<FakeKubelet> {
  const pods = client.pods(namespace);
  const list = await pods.list();
  const watch = await pods.watch({ resourceVersion: list.metadata?.resourceVersion });
  const marked = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const markReady = (pod: Readonly<Pod>): void => {
    const name = pod.metadata.name ?? '';
    if (marked.has(name) || pod.metadata.deletionTimestamp || isReady(pod)) return;
    marked.add(name);
    const write = pods
      .patch(
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
      )
      .then(
        () => undefined,
        (err: unknown) => {
          // Deleted before its status was written: nothing to report on.
          if (!isNotFound(err)) options.onError?.(`${name}: ${errorMessage(err)}`);
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  };
  for (const pod of list.items) markReady(pod);
  const loop = (async () => {
    for await (const event of watch) {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') markReady(event.object);
    }
  })();
  return {
    readied: () => marked.size,
    stop: async () => {
      watch.stop();
      await loop.catch((err: unknown) => options.onError?.(errorMessage(err)));
      await Promise.all([...inFlight]);
    },
  };
}

function isReady(pod: Readonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
