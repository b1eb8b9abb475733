// One `skiff up` per state dir. The lock is a unix socket this process listens on: a second
// `skiff up` that can connect to it knows the first is alive, and a socket file left by a killed
// process refuses connections, so it is stale and taken over. Unlike a PID file, this cannot be
// fooled by a reused PID, and the kernel tells liveness, not a guess.
import { connect, createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';

export interface StateLock {
  release(): Promise<void>;
}

export class StateDirLockedError extends Error {}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Resolves true when something accepts connections on the socket at `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(false);
      else reject(err);
    });
  });
}

export async function lockStateDir(path: string, stateDir: string): Promise<StateLock> {
  const server = createServer((connection) => connection.end());
  try {
    await listen(server, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (await answers(path)) {
      throw new StateDirLockedError(
        `state dir ${stateDir} is in use by another skiff up (it holds ${path}); stop it ` +
          'first, or pass another --state-dir',
      );
    }
    // Left by a process that died without cleaning up: nobody listens, take it over.
    await rm(path, { force: true });
    await listen(server, path);
  }
  // An idle lock must not keep the process alive on its own.
  server.unref();
  return {
    release: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
