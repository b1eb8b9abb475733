// Attach's output from the CRI log, on a fake clock: what is written after attaching comes back
// split into stdout and stderr, and the attach ends when the container stops or the client leaves.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { FakeClock } from '@skiff/api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followContainerLog } from './attach-log.js';

const POLL_MS = 100;

describe('following a container log for attach', () => {
  let dir: string;
  let logPath: string;
  let clock: FakeClock;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-attach-log-'));
    logPath = join(dir, 'c.log');
    await writeFile(logPath, '2026-01-01T00:00:00.000000000Z stdout F before attaching\n');
    clock = new FakeClock();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes on what is written after attaching, stdout and stderr apart, until the container stops', async () => {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    let running = true;
    const following = followContainerLog({
      logPath,
      streams: { stdout, stderr },
      running: () => Promise.resolve(running),
      pollMs: POLL_MS,
      clock,
    });
    await clock.waitForTimers();
    await appendFile(
      logPath,
      '2026-01-01T00:00:01Z stdout P half \n2026-01-01T00:00:01Z stdout F a line\n' +
        '2026-01-01T00:00:01Z stderr F an error\n',
    );
    running = false;
    await clock.advance(POLL_MS);
    await following;
    expect((stdout.read() as Buffer).toString()).toBe('half a line\n');
    expect((stderr.read() as Buffer).toString()).toBe('an error\n');
  });

  it('ends at once for a client that left before the attach began', async () => {
    const stdout = new PassThrough();
    stdout.destroy();
    await followContainerLog({
      logPath,
      streams: { stdout, stderr: undefined },
      running: () => Promise.resolve(true),
      pollMs: POLL_MS,
      clock,
    });
    expect(clock.pendingTimers()).toBe(0);
  });
});
