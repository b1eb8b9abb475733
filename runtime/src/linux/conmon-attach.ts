// conmon's attach socket, `<bundle>/attach`: the way into a running container's own stdio, as
// CRI-O and podman attach. It is SOCK_SEQPACKET (message boundaries kept), which Node's `net`
// cannot dial; node-unix-socket's SeqpacketSocket can.
//
// Protocol (conmon's conn_sock.c and ctr_stdio.c): every packet conmon sends is one read of the
// container's output, its first byte the pipe it came from — 2 stdout, 3 stderr (a terminal is
// all stdout). What the client sends is written as it is to the container's stdin, the pipe or
// the terminal; conmon reads at most one buffer per packet (8 KiB in older versions, 32 KiB now)
// and drops the rest, so input goes in smaller packets. When the client closes its side, conmon
// closes the container's stdin pipe unless it runs with --leave-stdin-open (see conmon.ts). When
// the container has exited, conmon exits and the connection ends.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export interface AttachOutput {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
}

const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;
/** Safely below every conmon version's receive buffer. */
export const MAX_INPUT_PACKET = 4096;

/** The output a packet from conmon carries, or undefined for an empty or unknown one. */
export function decodeAttachPacket(packet: Buffer): AttachOutput | undefined {
  if (packet.length < 2) return undefined;
  const pipe = packet[0];
  if (pipe !== STDOUT_PIPE && pipe !== STDERR_PIPE) return undefined;
  return { stream: pipe === STDOUT_PIPE ? 'stdout' : 'stderr', data: packet.subarray(1) };
}

/** Input cut into packets conmon takes whole. */
export function inputPackets(chunk: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  for (let offset = 0; offset < chunk.length; offset += MAX_INPUT_PACKET) {
    packets.push(chunk.subarray(offset, offset + MAX_INPUT_PACKET));
  }
  return packets;
}

export interface ConmonAttachConnection {
  /** Called with each piece of the container's output from now on. */
  onOutput(listener: (output: AttachOutput) => void): void;
  /** Sends input to the container's stdin; ignored once the connection is closed. */
  write(chunk: Buffer): void;
  /** Ends our side only: conmon then closes the container's stdin (see above); output goes on. */
  endInput(): void;
  close(): void;
  /** Resolves once conmon has closed the connection (the container has exited) or we did. */
  readonly closed: Promise<void>;
}

/**
 * Connects to the attach socket of the container whose bundle is `bundle`. The socket's path may
 * be longer than a socket address holds (108 bytes), so it is reached through /proc/self/fd and
 * an open descriptor of the bundle directory, as conmon binds it and podman dials it.
 */
export async function connectConmonAttach(bundle: string): Promise<ConmonAttachConnection> {
  const dir = await open(bundle, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return await connectTo(`/proc/self/fd/${dir.fd}/attach`);
  } finally {
    await dir.close();
  }
}

/**
 * The addon is loaded on first attach, not with the runtime: it ships prebuilt for linux x64 only
 * (glibc and musl), and a host without it should lose attach, not the whole runtime.
 */
let seqpacket: Promise<typeof import('node-unix-socket')> | undefined;

function loadSeqpacket(): Promise<typeof import('node-unix-socket')> {
  seqpacket ??= import('node-unix-socket').catch((err: unknown) => {
    seqpacket = undefined;
    throw new Error(
      `attach needs the node-unix-socket addon, which could not be loaded on this host ` +
        `(${process.platform}-${process.arch}): ${(err as Error).message}`,
      { cause: err },
    );
  });
  return seqpacket;
}

async function connectTo(path: string): Promise<ConmonAttachConnection> {
  const { SeqpacketSocket } = await loadSeqpacket();
  const socket = new SeqpacketSocket();
  // The socket throws when used after it is destroyed, which it is on its own after an error.
  let gone = false;
  let inputEnded = false;
  const destroy = (): void => {
    gone = true;
    socket.destroy();
  };
  const listeners: ((output: AttachOutput) => void)[] = [];
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      gone = true;
      resolve();
    });
  });
  socket.on('data', (packet: Buffer) => {
    const output = decodeAttachPacket(packet);
    if (output !== undefined) listeners.forEach((l) => l(output));
  });
  // conmon has gone (the container exited): nothing more will come, and nothing can be sent.
  socket.on('end', destroy);
  const connection: ConmonAttachConnection = {
    onOutput: (listener) => listeners.push(listener),
    write: (chunk) => {
      if (gone || inputEnded) return;
      for (const packet of inputPackets(chunk)) socket.write(packet);
    },
    endInput: () => {
      if (gone || inputEnded) return;
      inputEnded = true;
      socket.end();
    },
    close: destroy,
    closed,
  };
  return new Promise((resolve, reject) => {
    let connected = false;
    // After connecting, an error is a write to a conmon that has just exited (EPIPE): the
    // connection is over, which 'close' (emitted next) tells.
    socket.on('error', (err: Error) => {
      gone = true;
      if (!connected) reject(new Error(`connecting to conmon's attach socket: ${err.message}`));
    });
    try {
      socket.connect(path, () => {
        connected = true;
        resolve(connection);
      });
    } catch (err) {
      destroy();
      reject(
        new Error(`connecting to conmon's attach socket: ${(err as Error).message}`, {
          cause: err,
        }),
      );
    }
  });
}
