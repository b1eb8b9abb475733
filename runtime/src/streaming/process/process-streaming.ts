// Streaming for the process backend (no root, no isolation): a container is a host process, so
// exec runs the command on the host with the container's environment and working directory,
// attach follows its log, and port-forward connects to the port on the host's loopback (the pod
// has no network namespace of its own).
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { RuntimeError, type RuntimeBackend } from '../../containers/index.js';
import { attachContainer } from '../attach/attach-container.js';
import { runStreamingProcess } from '../run-streaming-process.js';
import type { ProcessStreams, StreamingRuntime } from '../streaming-runtime.js';

export class ProcessStreaming implements StreamingRuntime {
  constructor(private readonly backend: RuntimeBackend) {}

  async exec(
    containerId: string,
    cmd: readonly string[],
    streams: ProcessStreams,
  ): Promise<number> {
    const info = await this.backend.containerInfo(containerId);
    if (info.phase !== 'running') {
      throw new RuntimeError(
        'FailedPrecondition',
        `cannot exec in container ${containerId}: it is ${String(info.phase)}, not running`,
      );
    }
    const { env, cwd } = info.process as { env: Record<string, string>; cwd: string };
    const [command = '', ...args] = cmd;
    return runStreamingProcess({ command, args, env: { TERM: 'xterm', ...env }, cwd }, streams);
  }

  attach(containerId: string, streams: ProcessStreams): Promise<void> {
    return attachContainer(this.backend, containerId, streams);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const info = await this.backend.podSandboxInfo(sandboxId);
    if (info.processStatus !== 'running') {
      throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not running`);
    }
    const socket = connect({ host: '127.0.0.1', port });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('error', (err) =>
        reject(new Error(`failed to connect to localhost:${port}: ${err.message}`)),
      );
    });
  }
}
