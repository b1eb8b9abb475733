import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@skiff/api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeContainerLogs, type ContainerLogOptions } from './container-logs.js';

const t = (second: number): string => `2024-01-01T00:00:0${second}.123456789Z`;
const ms = (second: number): number => Date.UTC(2024, 0, 1, 0, 0, second, 123);

/** A log with a line split in three pieces and interleaved stderr, one second per entry. */
const LOG = [
  `${t(1)} stdout F one`,
  `${t(2)} stdout P tw`,
  `${t(3)} stderr F err`,
  `${t(4)} stdout P o-`,
  `${t(5)} stdout F two`,
  `${t(6)} stdout F three`,
  '',
].join('\n');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-container-logs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function read(
  log: string,
  options: Partial<ContainerLogOptions>,
  isRunning: () => Promise<boolean> = () => Promise.resolve(false),
): Promise<string> {
  const path = join(dir, '0.log');
  await writeFile(path, log);
  const chunks: Buffer[] = [];
  await writeContainerLogs(
    { path, isRunning },
    { follow: false, timestamps: false, ...options },
    {
      clock: new FakeClock(),
      write: (chunk) => {
        chunks.push(chunk);
        return Promise.resolve();
      },
      signal: new AbortController().signal,
      log: () => undefined,
    },
  );
  return Buffer.concat(chunks).toString('latin1');
}

describe('writeContainerLogs', () => {
  it.each<[string, Partial<ContainerLogOptions>, string]>([
    ['everything, partial lines joined', {}, 'one\nerr\ntwo-two\nthree\n'],
    ['the last two lines', { tailLines: 2 }, 'two-two\nthree\n'],
    ['no lines with tailLines 0', { tailLines: 0 }, ''],
    ['more lines than there are', { tailLines: 10 }, 'one\nerr\ntwo-two\nthree\n'],
    [
      'lines since a time, a joined line by its first piece',
      { sinceMs: ms(2) },
      'err\ntwo-two\nthree\n',
    ],
    ['tail first, then since', { tailLines: 3, sinceMs: ms(4) }, 'three\n'],
    ['at most limitBytes, cut mid-line', { limitBytes: 6 }, 'one\ner'],
    [
      "the first piece's time with timestamps",
      { timestamps: true, tailLines: 2 },
      `${t(2)} two-two\n${t(6)} three\n`,
    ],
  ])('%s', async (_, options, want) => {
    expect(await read(LOG, options)).toBe(want);
  });

  it('shows a line the log ends in the middle of, without a newline', async () => {
    expect(await read(`${t(1)} stdout F a\n${t(2)} stdout P b\n`, {})).toBe('a\nb');
  });

  it('skips what is not a CRI log entry', async () => {
    expect(await read(`garbage\n${t(1)} stdout F a\n`, {})).toBe('a\n');
  });

  it('reads a missing log file as empty', async () => {
    const chunks: Buffer[] = [];
    await writeContainerLogs(
      { path: join(dir, 'none.log'), isRunning: () => Promise.resolve(false) },
      { follow: true, timestamps: false },
      {
        clock: new FakeClock(),
        write: (c) => Promise.resolve(void chunks.push(c)),
        signal: new AbortController().signal,
        log: () => undefined,
      },
    );
    expect(chunks).toEqual([]);
  });

  it('following, reads what the container wrote before it stopped, then ends', async () => {
    const path = join(dir, '0.log');
    // The container writes its last lines (the last one in two writes) as it stops: the
    // follower's final read after seeing it stopped must still show them.
    const stopWriting = async (): Promise<boolean> => {
      await appendFile(path, `${t(7)} stdout F four\n${t(8)} stdout F fi`);
      await appendFile(path, `ve\n`);
      return false;
    };
    expect(await read(LOG, { follow: true, tailLines: 1 }, stopWriting)).toBe(
      'three\nfour\nfive\n',
    );
  });

  it('following, ends once limitBytes is reached though the container runs on', async () => {
    const path = join(dir, '0.log');
    const writeMore = async (): Promise<boolean> => {
      await appendFile(path, `${t(7)} stdout F four\n`);
      return true;
    };
    expect(await read(LOG, { follow: true, tailLines: 1, limitBytes: 8 }, writeMore)).toBe(
      'three\nfo',
    );
  });

  it('following, stops when the client goes away', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, LOG);
    const client = new AbortController();
    const chunks: string[] = [];
    await writeContainerLogs(
      { path, isRunning: () => Promise.resolve(true) },
      { follow: true, timestamps: false, tailLines: 1 },
      {
        clock: new FakeClock(),
        write: (chunk) => {
          chunks.push(chunk.toString());
          client.abort();
          return Promise.resolve();
        },
        signal: client.signal,
        log: () => undefined,
      },
    );
    expect(chunks).toEqual(['three\n']);
  });
});
