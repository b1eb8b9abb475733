// The terminal of a process-backend container created with `tty: true`: its supervisor
// (supervisor.ts) runs the command under a pty and serves that pty on a unix socket, `terminal`
// in the container's directory — the process backend's counterpart of conmon's attach socket and
// control fifo.
//
// On a connection the supervisor sends the terminal's output as it comes (raw bytes: a terminal
// has one output stream) and reads frames from the client:
//   1 <u32 length> <bytes>     input typed into the terminal
//   2 <u16 rows> <u16 cols>    the client's terminal size (the kernel sends the process SIGWINCH)
// Output reaches every connected client; the supervisor closes them all when the command ends.
import { open } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { constants } from 'node:fs';
import type { ConmonAttachConnection } from '../../linux/conmon-attach.js';

export const TERMINAL_SOCKET = 'terminal';

const INPUT = 1;
const RESIZE = 2;

export interface TerminalSize {
  readonly rows: number;
  readonly cols: number;
}

export function inputFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(INPUT, 0);
  header.writeUInt32BE(data.length, 1);
  return Buffer.concat([header, data]);
}

/** Sizes are clamped to what a pty takes (1..65535), as conmon clamps its own. */
export function resizeFrame(size: TerminalSize): Buffer {
  const clamp = (n: number): number => Math.max(1, Math.min(0xffff, Math.trunc(n)));
  const frame = Buffer.alloc(5);
  frame.writeUInt8(RESIZE, 0);
  frame.writeUInt16BE(clamp(size.rows), 1);
  frame.writeUInt16BE(clamp(size.cols), 3);
  return frame;
}

export type TerminalFrame =
  | { readonly kind: 'input'; readonly data: Buffer }
  | { readonly kind: 'resize'; readonly size: TerminalSize };

/**
 * Splits a client's byte stream into frames; bytes of an incomplete frame are kept for the next
 * chunk. Throws on an unknown frame type (the connection is then dropped).
 */
export class TerminalFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): TerminalFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: TerminalFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): TerminalFrame | undefined {
    if (this.pending.length < 5) return undefined;
    const type = this.pending.readUInt8(0);
    if (type === RESIZE) {
      const size = { rows: this.pending.readUInt16BE(1), cols: this.pending.readUInt16BE(3) };
      this.pending = this.pending.subarray(5);
      return { kind: 'resize', size };
    }
    if (type !== INPUT) throw new Error(`unknown terminal frame type ${type}`);
    const length = this.pending.readUInt32BE(1);
    if (this.pending.length < 5 + length) return undefined;
    const data = this.pending.subarray(5, 5 + length);
    this.pending = this.pending.subarray(5 + length);
    return { kind: 'input', data };
  }
}

export interface TerminalConnection extends ConmonAttachConnection {
  resize(size: TerminalSize): void;
}

/**
 * Connects to the terminal of the container whose directory is `dir`. The socket is reached
 * through /proc/self/fd and an open descriptor of the directory: its full path may be longer
 * than a socket address holds (108 bytes).
 */
export async function connectTerminal(dir: string): Promise<TerminalConnection> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const socket = connect({ path: `/proc/self/fd/${handle.fd}/${TERMINAL_SOCKET}` });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return terminalConnection(socket);
  } finally {
    await handle.close();
  }
}

function terminalConnection(socket: Socket): TerminalConnection {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // The supervisor going away mid-write is the end of the attach, reported by `closed`.
  socket.on('error', () => socket.destroy());
  const send = (frame: Buffer): void => {
    if (!socket.destroyed && socket.writable) socket.write(frame);
  };
  return {
    onOutput: (listener) => {
      socket.on('data', (data: Buffer) => listener({ stream: 'stdout', data }));
    },
    write: (chunk) => send(inputFrame(chunk)),
    resize: (size) => send(resizeFrame(size)),
    // A terminal is never closed by its clients (as conmon never closes one): only ours ends.
    endInput: () => socket.end(),
    close: () => socket.destroy(),
    closed,
  };
}
