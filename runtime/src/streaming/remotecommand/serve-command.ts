// One exec or attach session once its streams are open: run it through the runtime, then report
// the outcome on the error channel (Success, NonZeroExitCode with the code, or an internal error)
// and close everything, as the kubelet's remotecommand server does.
import type { Writable } from 'node:stream';
import { errorMessage } from '@skiff/api';
import type { ExecStreamRequest, AttachStreamRequest } from '../streaming-requests.js';
import type { ProcessStreams, StreamingRuntime } from '../streaming-runtime.js';
import {
  exitCodeStatus,
  internalErrorStatus,
  successStatus,
  type StreamStatus,
} from '../status.js';
import type { CommandStreams } from './command-streams.js';
import { readTerminalSizes, type TerminalSize } from './terminal-size.js';

export async function serveCommand(
  runtime: StreamingRuntime,
  request: ExecStreamRequest | AttachStreamRequest,
  streams: CommandStreams,
  log: (message: string) => void,
): Promise<void> {
  // Clients send the first size right after opening their streams, often before the process
  // exists: the latest size is kept and given to each listener as it registers.
  const listeners: ((size: TerminalSize) => void)[] = [];
  let latest: TerminalSize | undefined;
  if (streams.resize !== undefined) {
    readTerminalSizes(streams.resize, (size) => {
      latest = size;
      listeners.forEach((l) => l(size));
    });
  }
  const io: ProcessStreams = {
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    tty: request.tty,
    onResize: (listener) => {
      listeners.push(listener);
      if (latest !== undefined) listener(latest);
    },
  };
  let status: StreamStatus;
  try {
    if (request.kind === 'exec') {
      const exitCode = await runtime.exec(request.containerId, request.cmd, io);
      status = exitCode === 0 ? successStatus() : exitCodeStatus(request.cmd, exitCode);
    } else {
      await runtime.attach(request.containerId, io);
      status = successStatus();
    }
  } catch (err) {
    const what =
      request.kind === 'exec' ? 'executing command in container' : 'attaching to container';
    log(`${request.kind} in container ${request.containerId}: ${errorMessage(err)}`);
    status = internalErrorStatus(`error ${what}: ${errorMessage(err)}`);
  }
  await finished(streams.stdout);
  await finished(streams.stderr);
  await streams.writeStatus(status);
  await streams.close();
}

/**
 * Ends an output stream once all written to it has been handed to the connection, so the status
 * that follows on the error channel can never overtake output.
 */
function finished(stream: Writable | undefined): Promise<void> {
  if (stream === undefined || stream.writableFinished || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', resolve);
    stream.end(resolve);
  });
}
