// A real apiserver for informer tests, with the faults an informer must survive within reach:
//
// - `informerUrl` is a second listener in front of the same server, for the informers only, so a
//   test can cut their connections (`dropConnections`) or refuse new ones (`refuseConnections`)
//   while the test's own writer keeps writing through `client`;
// - every request through it is recorded, so a test can count the watches the informers opened;
// - the storage can break the watch cache's storage watch and compact, forcing 410 Gone.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApiServer } from '@skiff/apiserver';
import { InterruptibleStorage, openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { onTestFinished } from 'vitest';
import { createClient, type Client } from '../../rest/index.js';

export interface TestCluster {
  /** Writes and reads by the test itself (straight to the apiserver). */
  readonly client: Client;
  /** A client for informers, through the recorded, cuttable front door. */
  readonly informerClient: Client;
  readonly storage: InterruptibleStorage;
  /** `GET /api/v1/configmaps?watch=true&…`, one per request the informers sent. */
  readonly requests: string[];
  /** Closes every informer connection now (open watches break mid-stream). */
  readonly dropConnections: () => void;
  /** While true, informer connections are closed as soon as they open. */
  readonly refuseConnections: (refuse: boolean) => void;
  /** How many informer connections were refused so far. */
  readonly refusedConnections: () => number;
}

export async function startTestCluster(
  options: { bookmarkIntervalMs?: number } = {},
): Promise<TestCluster> {
  const embedded = await openTempEmbeddedStore({
    prefix: 'skiff-informers-',
    warn: () => undefined,
  });
  const storage = new InterruptibleStorage(embedded.storage);
  const api = createApiServer({
    storage,
    // The cache warns when its watch breaks; those warnings are this fixture's doing.
    log: () => undefined,
    ...(options.bookmarkIntervalMs !== undefined && {
      bookmarkIntervalMs: options.bookmarkIntervalMs,
    }),
  });
  await api.listen(0);
  onTestFinished(async () => {
    storage.resume();
    await api.close();
    await embedded.dispose();
  });

  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let refusing = false;
  let refused = 0;
  const front: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    api.app(req, res);
  });
  front.on('connection', (socket: Socket) => {
    if (refusing) {
      refused++;
      return socket.destroy();
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', resolve);
  });
  onTestFinished(
    () =>
      new Promise<void>((resolve, reject) => {
        front.closeAllConnections();
        front.close((err) => (err ? reject(err) : resolve()));
      }),
  );

  const client = createClient({ server: api.url ?? '', qps: Infinity });
  const informerClient = createClient({
    server: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    qps: Infinity,
    // Failures are the informer's to handle (its own backoff); keep the client's retries short.
    retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
  });
  onTestFinished(() => {
    client.close();
    informerClient.close();
  });
  return {
    client,
    informerClient,
    storage,
    requests,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    refuseConnections: (refuse) => {
      refusing = refuse;
    },
    refusedConnections: () => refused,
  };
}

/** Polls a condition that depends on real I/O (events arriving), not on time passing. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
