// Attach's input side. A container created with CRI `stdin: true` reads a pipe whose write end
// conmon holds (conmon --stdin). Writing reaches it without conmon's attach socket (a
// SOCK_SEQPACKET socket, which Node cannot connect to): opening /proc/<pid>/fd/0 of a pipe for
// writing gives a new write end of that same pipe. A container without a stdin pipe (/dev/null,
// or a terminal) gets nothing: its input is discarded, as containerd discards it.
import { createWriteStream } from 'node:fs';
import { readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Copies `input` into the container process's stdin pipe, if it has one; resolves once started. */
export async function feedContainerStdin(pid: number, input: Readable): Promise<boolean> {
  const path = `/proc/${pid}/fd/0`;
  let target: string;
  try {
    target = await readlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (!target.startsWith('pipe:')) {
    input.resume();
    return false;
  }
  const pipe = createWriteStream(path, { flags: 'w' });
  // The container may exit while the client still types: its input has nowhere to go.
  pipe.on('error', () => input.unpipe(pipe));
  input.pipe(pipe);
  return true;
}
