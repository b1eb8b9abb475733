// "The node is Ready": what `skiff up` waits for before saying the cluster works. Polls through
// the API, as kubectl wait would; says which nodes are still not Ready if it gives up.
import { pollUntil, realClock, type Node } from '@skiff/api';
import type { Client } from '@skiff/client';

function isReady(node: Node | undefined): boolean {
  return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function waitForNodesReady(
  client: Client,
  names: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  let notReady = [...names];
  const ok = await pollUntil(
    async () => {
      const nodes = (await client.nodes().list()).items;
      notReady = names.filter((name) => !isReady(nodes.find((n) => n.metadata.name === name)));
      return notReady.length === 0;
    },
    100,
    { clock: realClock, signal },
  );
  if (!ok) throw new Error(`node(s) ${notReady.join(', ')} not Ready in time`);
}
