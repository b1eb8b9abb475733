import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logLinesOf, selectLines } from './log-lines.js';
import { tailStartOffset } from './tail-offset.js';

const T = '2024-01-01T00:00:00.000000001Z';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-tail-offset-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The last `tail` lines read from the offset, compared with those of the whole log. */
async function tailFromOffset(log: string, tail: number, window: number) {
  const path = join(dir, 'log');
  await writeFile(path, log);
  const handle = await open(path, 'r');
  try {
    const offset = await tailStartOffset(handle, Buffer.byteLength(log, 'latin1'), tail, window);
    const fromOffset = selectLines(logLinesOf(log.slice(offset)), { tailLines: tail });
    return { offset, fromOffset, whole: selectLines(logLinesOf(log), { tailLines: tail }) };
  } finally {
    await handle.close();
  }
}

const lines = (n: number, stream = 'stdout') =>
  Array.from({ length: n }, (_, i) => `${T} ${stream} F line ${i}\n`).join('');

describe('tailStartOffset', () => {
  it.each<[string, string, number]>([
    ['whole lines', lines(200), 3],
    [
      'a long line in partial pieces at the start of the tail',
      `${lines(100)}${`${T} stdout P ${'x'.repeat(50)}\n`.repeat(20)}${T} stdout F end\n${lines(2)}`,
      3,
    ],
    [
      'another stream cut mid-line',
      `${lines(50)}${T} stderr P ${'y'.repeat(100)}\n${lines(40)}${T} stderr F tail\n${lines(1)}`,
      2,
    ],
    ['more lines asked than the file has', lines(5), 10],
  ])('reads the last lines whole: %s', async (_, log, tail) => {
    const { fromOffset, whole } = await tailFromOffset(log, tail, 256);
    expect(fromOffset).toEqual(whole);
  });

  it('starts near the end of a long log', async () => {
    const log = lines(10_000);
    const { offset } = await tailFromOffset(log, 2, 256);
    expect(offset).toBeGreaterThan(log.length - 256);
  });
});
