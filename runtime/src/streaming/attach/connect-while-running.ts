// Dialling a container's attach endpoint (conmon's socket, a process-backend terminal) right
// after seeing it run: the container may have exited in between, its monitor gone with it.
import type { RuntimeBackend } from '../../containers/index.js';

/** The connection, or undefined when the container is no longer running: that attach is over. */
export async function connectWhileRunning<T>(
  backend: RuntimeBackend,
  containerId: string,
  connect: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await connect();
  } catch (err) {
    const { state } = await backend.containerStatus(containerId);
    if (state !== 'CONTAINER_RUNNING') return undefined;
    throw err;
  }
}
