// A real apiserver on a temporary embedded store for the scheduler's integration tests: Node
// objects and no kubelets — the scheduler only needs nodes to exist and pods to bind.
import { pollUntil, realClock, type Node } from '@skiff/api';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient, type Client } from '@skiff/client';
import { onTestFinished } from 'vitest';

export async function startApiServer(): Promise<{ client: Client; url: string }> {
  const api = await startTestApiServer({ prefix: 'skiff-scheduler-' });
  const client = createClient({ server: api.url, qps: Infinity });
  onTestFinished(async () => {
    client.close();
    await api.close();
  });
  return { client, url: api.url };
}

/**
 * Waits for `condition` (which reads real state through the API), checking every 50 ms; a
 * generous limit only turns a hang into a failure, it is not a timing assertion.
 */
export async function eventually(
  condition: () => Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const ok = await pollUntil(condition, 50, { clock: realClock, signal: AbortSignal.timeout(ms) });
  if (!ok) throw new Error(`timed out waiting for ${what}`);
}

/**
 * Creates a Node with its status (capacity, allocatable). skiff's apiserver drops status on
 * create (Kubernetes keeps it for Nodes, as kubelets register that way), so it is written
 * through the status subresource after.
 */
export async function createNode(client: Client, node: Node): Promise<Node> {
  const created = await client.nodes().create(node);
  if (!node.status) return created;
  return client.nodes().updateStatus({ ...created, status: node.status });
}
