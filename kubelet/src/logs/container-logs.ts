// Writes a container's log as /containerLogs serves it: the CRI log file read from the start,
// reassembled into lines, with sinceTime/tailLines/timestamps/limitBytes applied; with follow,
// the response stays open and new lines are written as the runtime appends them, until the
// container has stopped and its log is read to the end, or the client goes away.
import { open } from 'node:fs/promises';
import { parseCriLogLine, type Clock } from '@skiff/api';
import { FileChangeWaiter } from './file-change-waiter.js';
import { tailStartOffset } from './tail-offset.js';
import {
  ByteLimit,
  formatLine,
  LineAssembler,
  logLinesOf,
  selectLines,
  splitLogText,
  type LogLine,
} from './log-lines.js';

/** How long a follower waits for the file to change before it looks again on its own. */
export const FOLLOW_POLL_MS = 1000;

export interface ContainerLogOptions {
  readonly follow: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  /** Milliseconds since the epoch (sinceTime, or now minus sinceSeconds). */
  readonly sinceMs?: number;
}

export interface ContainerLogSource {
  /** The CRI log file (the container status's log_path). */
  readonly path: string;
  /** Whether the container can still write to its log; follow ends once it cannot. */
  isRunning(): Promise<boolean>;
}

export interface LogWriterContext {
  readonly clock: Clock;
  /** Writes a chunk, resolving once the client can take more (back-pressure). */
  readonly write: (chunk: Buffer) => Promise<void>;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
}

export async function writeContainerLogs(
  source: ContainerLogSource,
  options: ContainerLogOptions,
  ctx: LogWriterContext,
): Promise<void> {
  const limit = new ByteLimit(options.limitBytes);
  const assembler = new LineAssembler();
  const emit = async (lines: readonly LogLine[], newline = true): Promise<void> => {
    for (const line of lines) {
      if (limit.exhausted || ctx.signal.aborted) return;
      await ctx.write(limit.take(formatLine(line, options.timestamps, newline)));
    }
  };
  const reader = new LogFileReader(source.path, options.tailLines);
  const first = splitLogText(await reader.readNew());
  const lines = logLinesOf(first.lines.join('\n'), assembler);
  await emit(selectLines(lines, { sinceMs: options.sinceMs, tailLines: options.tailLines }));
  if (options.follow && !limit.exhausted) {
    await follow(source, reader, first.rest, assembler, emit, () => limit.exhausted, ctx);
  }
  await emit(assembler.flush(), false);
}

async function follow(
  source: ContainerLogSource,
  reader: LogFileReader,
  rest: string,
  assembler: LineAssembler,
  emit: (lines: readonly LogLine[]) => Promise<void>,
  /** limitBytes reached: nothing more will be written. */
  full: () => boolean,
  ctx: LogWriterContext,
): Promise<void> {
  const waiter = new FileChangeWaiter(source.path, ctx.clock, (err) =>
    ctx.log(`watching ${source.path}: ${String(err)}; polling every ${FOLLOW_POLL_MS} ms`),
  );
  let unfinished = rest;
  let stopped = false;
  try {
    while (!ctx.signal.aborted && !full()) {
      const text = await reader.readNew();
      if (text === '') {
        // Nothing new: if the container has stopped, one last read catches its final lines.
        if (stopped) return;
        stopped = !(await source.isRunning());
        if (!stopped) await waiter.wait(FOLLOW_POLL_MS, ctx.signal);
        continue;
      }
      const { lines, rest: tail } = splitLogText(unfinished + text);
      unfinished = tail;
      const whole: LogLine[] = [];
      for (const raw of lines) {
        const entry = parseCriLogLine(raw);
        const line = entry === undefined ? undefined : assembler.push(entry);
        if (line !== undefined) whole.push(line);
      }
      await emit(whole);
    }
  } finally {
    waiter.close();
  }
}

/** Reads a log file from where it last stopped; starts over if the file was truncated. */
class LogFileReader {
  private offset = 0;
  /** With tailLines, the first read starts near the end (tail-offset.ts). */
  private tailLines: number | undefined;

  constructor(
    private readonly path: string,
    tailLines?: number,
  ) {
    this.tailLines = tailLines;
  }

  /** The bytes appended since the last call, as latin1 text ('' if none or no file yet). */
  async readNew(): Promise<string> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (this.tailLines !== undefined) {
        this.offset = await tailStartOffset(handle, size, this.tailLines);
        this.tailLines = undefined;
      }
      if (size < this.offset) this.offset = 0;
      if (size === this.offset) return '';
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      return buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await handle.close();
    }
  }
}
