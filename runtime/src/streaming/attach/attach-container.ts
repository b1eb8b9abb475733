// Attach by the log: the process backend's, and the linux backend's for an output-only attach to
// a stdin_once container (see linux/linux-streaming.ts). The container must be running; the
// client's input goes to the container's stdin pipe when it has one; its output comes from the
// container's CRI log from now on, until the container stops or the client leaves.
import { RuntimeError, type RuntimeBackend } from '../../containers/index.js';
import type { ProcessStreams } from '../streaming-runtime.js';
import { followContainerLog } from './attach-log.js';
import { feedContainerStdin } from './attach-stdin.js';

export async function attachContainer(
  backend: RuntimeBackend,
  containerId: string,
  streams: ProcessStreams,
  pollMs?: number,
): Promise<void> {
  const status = await backend.containerStatus(containerId);
  if (status.state !== 'CONTAINER_RUNNING') {
    throw new RuntimeError(
      'FailedPrecondition',
      `cannot attach to container ${status.id}: it is ${status.state}, not running`,
    );
  }
  if (streams.stdin !== undefined) {
    const { pid } = await backend.containerInfo(status.id);
    if (typeof pid === 'number' && pid > 0) await feedContainerStdin(pid, streams.stdin);
  }
  await followContainerLog({
    logPath: status.log_path,
    streams,
    running: async () => (await backend.containerStatus(status.id)).state === 'CONTAINER_RUNNING',
    ...(pollMs !== undefined && { pollMs }),
  });
}
