// A real apiserver on a temporary embedded store for the scheduler's integration tests: Node
// objects and no kubelets — the scheduler only needs nodes to exist and pods to bind.
import type { Node } from '@skiff/api';
import { eventually as pollFor } from '@skiff/api/testing';
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

/** Waits for `condition` (which reads real state through the API); see @skiff/api/testing. */
export async function eventually(
  condition: () => Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  await pollFor(what, condition, { timeoutMs: ms });
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
