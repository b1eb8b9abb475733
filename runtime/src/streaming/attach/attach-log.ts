// Attach's output side: what the container writes from now on, read from its CRI log (conmon
// writes every line there as it comes) and split back into stdout and stderr. Lines are
// "<RFC 3339 time> <stdout|stderr> <P|F> <text>"; F ends a line, P is a piece of a longer one.
// Follows until the container stops running or the client goes away; a rotated (shorter) file is
// read again from its start.
import { open, type FileHandle } from 'node:fs/promises';
import { realClock, type Clock } from '@skiff/api';
import type { ProcessStreams } from '../streaming-runtime.js';

export interface FollowOptions {
  readonly logPath: string;
  readonly streams: Pick<ProcessStreams, 'stdout' | 'stderr'>;
  /** Whether to keep following: the container still runs. */
  readonly running: () => Promise<boolean>;
  readonly pollMs?: number;
  readonly clock?: Clock;
}

const DEFAULT_POLL_MS = 100;
const LINE = /^(\S+) (stdout|stderr) (P|F) (.*)$/s;

export async function followContainerLog(options: FollowOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const { stdout, stderr } = options.streams;
  // A client that left before the attach began has closed its streams already.
  let gone = stdout?.destroyed === true || stderr?.destroyed === true;
  for (const stream of [stdout, stderr]) {
    stream?.once('close', () => (gone = true));
    stream?.once('error', () => (gone = true));
  }
  let handle: FileHandle = await open(options.logPath, 'r');
  let position = (await handle.stat()).size;
  let partial = '';
  const readNew = async (): Promise<void> => {
    const size = (await handle.stat()).size;
    if (size < position) {
      await handle.close();
      handle = await open(options.logPath, 'r');
      position = 0;
    }
    if (size <= position) return;
    const buffer = Buffer.alloc(size - position);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    position += bytesRead;
    const lines = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = LINE.exec(line);
      if (match === null) continue;
      const text = match[4] ?? '';
      const out = match[2] === 'stderr' ? stderr : stdout;
      out?.write(match[3] === 'F' ? `${text}\n` : text);
    }
  };
  try {
    for (;;) {
      await readNew();
      if (gone || !(await options.running())) break;
      await clock.sleep(options.pollMs ?? DEFAULT_POLL_MS);
    }
    await readNew();
  } finally {
    await handle.close();
  }
}
