// Attach's input side when it follows the log (the process backend; the linux backend attaches
// through conmon's socket, streaming/linux/attach-through-conmon.ts). Opening /proc/<pid>/fd/0 of
// a pipe for writing gives a new write end of that same pipe, so input reaches a process whose
// stdin is one. A process without a stdin pipe (/dev/null, a terminal) gets nothing: its input is
// discarded, as containerd discards it for a container created without stdin.
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
