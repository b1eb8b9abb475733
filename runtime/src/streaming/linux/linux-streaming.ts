// The linux backend's side of streaming: exec runs the OCI runtime's exec with the container's
// own process settings (user, env, cwd, capabilities...) and the requested argv; port-forward
// dials inside the pod's network namespace. Everything is looked up through the backend's public
// verbs (status and verbose info), so a prefix of an id works as it does everywhere else.
import type { Duplex } from 'node:stream';
import { RuntimeError, type RuntimeBackend } from '../../containers/index.js';
import { resizeConmonTerminal, type ContainerStdio } from '../../linux/index.js';
import { connectConmonAttach } from '../../linux/conmon-attach.js';
import { execProcessOf } from '../../linux/exec-files.js';
import type { OciSpec } from '../../linux/oci-spec.js';
import type { ProcessStreams, StreamingRuntime } from '../streaming-runtime.js';
import { attachContainer } from '../attach/attach-container.js';
import { connectWhileRunning } from '../attach/connect-while-running.js';
import { attachThroughConmon } from './attach-through-conmon.js';
import { runExecProcess } from './exec-process.js';
import { openPortRelay } from './port-relay.js';

export interface LinuxStreamingOptions {
  readonly backend: RuntimeBackend;
  /** The OCI runtime the backend uses, with its global flags (its state --root). */
  readonly ociRuntime: { readonly path: string; readonly globalArgs: readonly string[] };
  /** Where exec process files go for the life of the exec. */
  readonly scratchDir: string;
  readonly pollMs?: number;
}

export class LinuxStreaming implements StreamingRuntime {
  constructor(private readonly options: LinuxStreamingOptions) {}

  async exec(
    containerId: string,
    cmd: readonly string[],
    streams: ProcessStreams,
  ): Promise<number> {
    // One look-up: the verbose info has the phase, the id the CRI handler resolved, and the spec.
    const info = await this.options.backend.containerInfo(containerId);
    if (info.phase !== 'running') {
      throw new RuntimeError(
        'FailedPrecondition',
        `cannot exec in container ${containerId}: it is ${String(info.phase)}, not running`,
      );
    }
    const id = containerId;
    const spec = info.runtimeSpec as OciSpec | undefined;
    if (spec === undefined) throw new RuntimeError('NotFound', `container ${id} has no bundle`);
    return runExecProcess(
      {
        ociRuntime: this.options.ociRuntime.path,
        globalArgs: this.options.ociRuntime.globalArgs,
        containerId: id,
        process: execProcessOf(spec.process, cmd, streams.tty),
        execDir: this.options.scratchDir,
      },
      streams,
    );
  }

  async attach(containerId: string, streams: ProcessStreams): Promise<void> {
    const info = await this.options.backend.containerInfo(containerId);
    if (info.phase !== 'running') {
      throw new RuntimeError(
        'FailedPrecondition',
        `cannot attach to container ${containerId}: it is ${String(info.phase)}, not running`,
      );
    }
    const stdio = info.stdio as ContainerStdio;
    // conmon closes a stdin_once container's stdin when any attach client leaves; containerd only
    // when one that had stdin does. So an attach without stdin reads the log (a pipe container's
    // log keeps stdout and stderr apart, and loses nothing of them) and leaves the socket alone.
    if (stdio.stdinOnce && stdio.stdin && !stdio.tty && streams.stdin === undefined) {
      return attachContainer(this.options.backend, containerId, streams, this.options.pollMs);
    }
    const bundle = String(info.bundle);
    const connection = await connectWhileRunning(this.options.backend, containerId, () =>
      connectConmonAttach(bundle),
    );
    if (connection === undefined) return;
    return attachThroughConmon({
      connection,
      stdio,
      streams,
      resize: (size) => resizeConmonTerminal(bundle, size),
    });
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const info = await this.options.backend.podSandboxInfo(sandboxId);
    if (info.processStatus !== 'running') {
      throw new RuntimeError('FailedPrecondition', `sandbox ${sandboxId} is not running`);
    }
    const netns = typeof info.netNamespacePath === 'string' ? info.netNamespacePath : '';
    return openPortRelay({ netnsPath: netns === '' ? undefined : netns, port });
  }
}
