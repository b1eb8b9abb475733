// The CRI socket file. A runtime killed with -9 leaves its socket file behind, and binding over
// it fails with EADDRINUSE; but a socket file can also belong to a runtime that is still serving,
// and deleting that one would silently cut it off. So: connect first, and remove the file only
// when nobody answers.
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';

/** Makes `path` free to bind: creates its directory, removes a stale socket, refuses a live one. */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`cannot inspect ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isSocket()) {
    throw new Error(`${path} exists and is not a socket; refusing to replace it`);
  }
  if (await answers(path)) {
    throw new Error(`another process is serving ${path}; stop it or choose another --socket`);
  }
  await rm(path, { force: true });
}

/** Owner and group may connect (the kubelet runs as root; an admin group may be given access). */
export async function restrictSocket(path: string): Promise<void> {
  await chmod(path, 0o660);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // ECONNREFUSED (nobody listening) is the stale case; any error means no one will answer.
    socket.once('error', () => resolve(false));
  });
}
