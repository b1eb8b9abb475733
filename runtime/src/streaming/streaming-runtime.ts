// What the streaming server needs from the runtime: run a command in a container with its
// streams, attach to a container's own streams, and open a connection to a port in a pod's
// network namespace. The linux backend's side is in linux-streaming.ts.
import type { Duplex, Readable, Writable } from 'node:stream';
import type { TerminalSize } from './remotecommand/terminal-size.js';

export interface ProcessStreams {
  /** The client's input; undefined when the request did not ask for stdin. */
  readonly stdin: Readable | undefined;
  readonly stdout: Writable | undefined;
  /** Never with a TTY (the terminal merges it into stdout). */
  readonly stderr: Writable | undefined;
  readonly tty: boolean;
  /** Registers for the client's terminal size changes (TTY sessions only); a size already known is given at once. */
  onResize(listener: (size: TerminalSize) => void): void;
}

export interface StreamingRuntime {
  /** Runs `cmd` in the running container; resolves with its exit code once it has ended. */
  exec(containerId: string, cmd: readonly string[], streams: ProcessStreams): Promise<number>;
  /** Connects the streams to the container's own process until it ends or the client leaves. */
  attach(containerId: string, streams: ProcessStreams): Promise<void>;
  /** A connection to localhost:`port` inside the pod's network namespace. */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
}
