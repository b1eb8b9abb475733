// Streaming for the process backend (no root, no isolation): a container is a host process, so
// exec runs the command on the host with the container's environment and working directory,
// attach follows its log — or, for a container with a terminal, is connected to the terminal its
// supervisor serves (input, resizes, output as it comes) — and port-forward connects to the port
// on the host's loopback (the pod has no network namespace of its own).
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connectTerminal, RuntimeError, type RuntimeBackend } from '../../containers/index.js';
import type { ContainerStdio } from '../../linux/index.js';
import { attachContainer } from '../attach/attach-container.js';
import { connectWhileRunning } from '../attach/connect-while-running.js';
import { attachThroughConmon } from '../linux/attach-through-conmon.js';
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

  async attach(containerId: string, streams: ProcessStreams): Promise<void> {
    const info = await this.backend.containerInfo(containerId);
    const stdio = info.stdio as ContainerStdio | undefined;
    if (stdio?.tty !== true || info.phase !== 'running') {
      return attachContainer(this.backend, containerId, streams);
    }
    const connection = await connectWhileRunning(this.backend, containerId, () =>
      connectTerminal(String(info.dir)),
    );
    if (connection === undefined) return;
    // The same rules as an attach through conmon's socket: this socket behaves as that one does
    // for a terminal (one output, input as typed, never closed by a client).
    return attachThroughConmon({
      connection,
      stdio,
      streams,
      resize: ({ width, height }) => {
        if (width > 0 && height > 0) connection.resize({ rows: height, cols: width });
        return Promise.resolve();
      },
    });
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
