// conmon's control FIFO, `<bundle>/ctl`: lines "<type> <height> <width>\n" that resize the
// container's terminal (conmon passes the size on through its `winsz` FIFO and sets the pty's
// window size, and the kernel sends the process SIGWINCH) or reopen its log file.
//
// conmon before containers/conmon#566 (2025; Debian ships 2.1.6) acts, of the lines one read of
// a FIFO brings, on the first only — as many times as there are lines. kubectl attach sends two
// sizes at once (its terminal's plus one, then its own, to make the program redraw), and when
// conmon read both together the container's terminal stayed one row and one column too big. So
// a line is written only once conmon has read every earlier one, from both FIFOs, one line at a
// time per container.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fifoBacklog } from './fifo-backlog.js';

const WIN_RESIZE_EVENT = 1;
const REOPEN_LOGS_EVENT = 2;

/** How long conmon may leave earlier lines unread before the next is written anyway. */
const CONMON_READ_LIMIT_MS = 2000;
const CONMON_READ_POLL_MS = 5;

/**
 * Resizes the terminal of a container created with a TTY. conmon takes 0..1000 rows and columns.
 */
export function resizeConmonTerminal(
  bundle: string,
  size: { readonly width: number; readonly height: number },
): Promise<void> {
  const clamp = (n: number): number => Math.max(0, Math.min(1000, Math.trunc(n)));
  return sendControl(bundle, WIN_RESIZE_EVENT, clamp(size.height), clamp(size.width));
}

/** Asks the container's conmon to reopen its log file (after the kubelet rotated it). */
export function reopenConmonLog(bundle: string): Promise<void> {
  return sendControl(bundle, REOPEN_LOGS_EVENT, 0, 0);
}

/** Per bundle, the end of the last line queued for it. */
const queues = new Map<string, Promise<void>>();

function sendControl(bundle: string, type: number, height: number, width: number): Promise<void> {
  // The queue's promises never reject (see `settled`): a failed line does not stop the next.
  const previous = queues.get(bundle) ?? Promise.resolve();
  const sent = previous.then(() => writeWhenRead(bundle, `${type} ${height} ${width}\n`));
  const settled = sent.then(
    () => undefined,
    () => undefined,
  );
  queues.set(bundle, settled);
  void settled.then(() => {
    if (queues.get(bundle) === settled) queues.delete(bundle);
  });
  return sent;
}

/**
 * Non-blocking: with no conmon reading the FIFO (the container has exited) the open fails at once
 * with ENXIO instead of hanging.
 */
async function writeWhenRead(bundle: string, line: string): Promise<void> {
  await untilConmonHasRead(bundle);
  const handle = await open(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await handle.write(line);
  } finally {
    await handle.close();
  }
}

async function untilConmonHasRead(bundle: string): Promise<void> {
  const deadline = Date.now() + CONMON_READ_LIMIT_MS;
  for (;;) {
    const ctl = await fifoBacklog(join(bundle, 'ctl'));
    // No koffi: write at once, as before (only a burst of lines can be misread).
    if (ctl === undefined) return;
    // The winsz FIFO exists once the container has a terminal.
    const winsz = await fifoBacklog(join(bundle, 'winsz')).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    });
    if ((ctl === 0 && winsz === 0) || Date.now() >= deadline) return;
    await sleep(CONMON_READ_POLL_MS);
  }
}
