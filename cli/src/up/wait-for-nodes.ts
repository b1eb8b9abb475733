// "The node is Ready": what `skiff up` waits for before saying the cluster works. Polls through
// the API, as kubectl wait would; says which nodes are still not Ready if it gives up.
import { pollUntil, realClock, type Node } from '@skiff/api';
import type { Client } from '@skiff/client';

/**
 * Ready, as reported by a kubelet of this run: a resumed cluster's store still holds the last
 * run's Ready condition, so only a heartbeat since `sinceMs` counts (times have 1 s precision).
 */
function isReady(node: Node | undefined, sinceMs: number): boolean {
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  const heartbeat = Date.parse(ready?.lastHeartbeatTime ?? '');
  return ready?.status === 'True' && heartbeat >= Math.floor(sinceMs / 1000) * 1000;
}

export async function waitForNodesReady(
  client: Client,
  names: readonly string[],
  signal: AbortSignal,
  sinceMs: number,
): Promise<void> {
  let notReady = [...names];
  const ok = await pollUntil(
    async () => {
      const nodes = (await client.nodes().list()).items;
      notReady = names.filter(
        (name) =>
          !isReady(
            nodes.find((n) => n.metadata.name === name),
            sinceMs,
          ),
      );
      return notReady.length === 0;
    },
    100,
    { clock: realClock, signal },
  );
  if (!ok) throw new Error(`node(s) ${notReady.join(', ')} not Ready in time`);
}
