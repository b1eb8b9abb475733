// A real apiserver for the tutorial's and the exercises' tests: the embedded store in a temp dir,
// on a free port, stopped and removed when the test finishes — plus a manager runner and a poll.
import type { Clock } from '@skiff/api';
import { startTestApiServer } from '@skiff/apiserver/testing';
import { createClient, Manager, type Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';

export interface Cluster {
  readonly client: Client;
  /** A manager on this cluster (own metrics registry, logs kept in `logs`). Not started. */
  newManager(options?: { clock?: Clock }): Manager;
  /** Starts `manager`; it is stopped, and awaited, when the test finishes. */
  start(manager: Manager): void;
  /** What managers and controllers logged (reconcile errors, leader election). */
  readonly logs: string[];
}

export async function startCluster(): Promise<Cluster> {
  const api = await startTestApiServer({ prefix: 'skiff-docs-' });
  const client = createClient({ server: api.url, qps: Infinity });
  onTestFinished(async () => {
    client.close();
    await api.close();
  });
  const logs: string[] = [];
  return {
    client,
    logs,
    newManager: (options = {}) =>
      new Manager({
        client,
        registry: new Registry(),
        log: (message) => logs.push(message),
        ...options,
      }),
    start: (manager) => {
      const stop = new AbortController();
      const running = manager.start(stop.signal);
      onTestFinished(async () => {
        stop.abort();
        await running;
      });
    },
  };
}

/**
 * expect.poll options with room for a loaded machine: what a controller does shows up within
 * milliseconds normally, but CI shares two cores with everything else.
 */
export const EVENTUALLY = { timeout: 4000, interval: 20 } as const;
