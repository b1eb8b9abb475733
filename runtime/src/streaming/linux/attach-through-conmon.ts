// Attach on the linux backend, through conmon's attach socket (linux/conmon-attach.ts): the
// container's output as it comes (a terminal's bytes as they are, prompts and all), the client's
// input into the container's stdin, and the client's terminal size onto the container's terminal.
//
// When it ends follows containerd (pkg/cri/io/container_io.go, Attach):
// - the container exits (conmon closes the connection), or the client goes away;
// - the client ends its input: for a `stdin_once` container without a TTY the container's stdin
//   is closed and the output keeps coming until the container exits; otherwise the attach ends
//   there and the container's stdin stays open for the next one. (conmon closes a `stdin_once`
//   container's stdin when we close our side: it runs without --leave-stdin-open, see
//   linux/conmon.ts; a terminal is never closed.)
// A container created without `stdin` gets none of the client's input, which is discarded.
import type { ContainerStdio } from '../../linux/index.js';
import type { ConmonAttachConnection } from '../../linux/conmon-attach.js';
import type { ProcessStreams } from '../streaming-runtime.js';
import type { TerminalSize } from '../remotecommand/terminal-size.js';

export interface ConmonAttachOptions {
  readonly connection: ConmonAttachConnection;
  readonly stdio: ContainerStdio;
  readonly streams: ProcessStreams;
  /** Resizes the container's terminal (conmon's control fifo). */
  readonly resize: (size: TerminalSize) => Promise<void>;
}

/** Resolves when the attach is over; the connection is closed by then. */
export function attachThroughConmon(options: ConmonAttachOptions): Promise<void> {
  const { connection, stdio, streams } = options;
  return new Promise((resolve, reject) => {
    let over = false;
    let failure: Error | undefined;
    const finish = (): void => {
      if (over) return;
      over = true;
      connection.close();
      if (failure === undefined) resolve();
      else reject(failure);
    };
    connection.onOutput(({ stream, data }) => {
      // A terminal has one output; conmon calls it stdout.
      const target = stream === 'stderr' && !stdio.tty ? streams.stderr : streams.stdout;
      target?.write(data);
    });
    void connection.closed.then(finish);
    for (const output of [streams.stdout, streams.stderr]) {
      output?.once('close', finish);
      output?.once('error', finish);
      // A client that left before the attach began has closed its streams already.
      if (output?.destroyed === true) finish();
    }
    // Resizes and input reach conmon in the order the client sent them, so what is typed after a
    // resize (the first size comes right at the start) runs in a terminal of that size.
    let inOrder = Promise.resolve();
    const after = (step: () => void | Promise<void>): void => {
      inOrder = inOrder.then(step);
    };
    if (stdio.tty) {
      streams.onResize((size) =>
        after(() =>
          options.resize(size).catch((err: unknown) => {
            const code = (err as NodeJS.ErrnoException).code;
            // ENXIO/ENOENT: conmon is gone with its container, and the attach is ending anyway.
            if (code === 'ENXIO' || code === 'ENOENT') return;
            failure = new Error(`resizing the container's terminal: ${(err as Error).message}`, {
              cause: err,
            });
            finish();
          }),
        ),
      );
    }
    const input = streams.stdin;
    if (input !== undefined) {
      if (!stdio.stdin) {
        input.resume();
      } else {
        input.on('data', (chunk: Buffer) => after(() => connection.write(chunk)));
        input.once('end', () =>
          after(() => {
            if (stdio.stdinOnce && !stdio.tty) connection.endInput();
            else finish();
          }),
        );
        input.once('close', () => {
          // Closed without an end: the client went away mid-stream.
          if (!input.readableEnded) finish();
        });
      }
    }
  });
}
