// A TCP port nothing listens on right now, for a `skiff up --split` child whose address `up`
// must know before the child says it (its scheduler's URL goes into the kubeconfig). Another
// program could take it in between; the child then fails to listen and `up` says so.
import { createServer } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free TCP port');
  return address.port;
}
