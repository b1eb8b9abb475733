import { describe, expect, it } from 'vitest';
import { recordLostExit, type MonitorCheck } from './lost-exit.js';
import { runningRecord } from './testing/container-record-fixture.js';

function monitor(alive: boolean, exitRecorded: boolean): MonitorCheck {
  return {
    alive: () => Promise.resolve(alive),
    exitRecorded: () => Promise.resolve(exitRecorded),
    lostMessage: 'the monitor is gone',
  };
}

describe('recordLostExit', () => {
  it('records exit 255 with reason Unknown when the monitor is gone without an exit file', async () => {
    const record = runningRecord();
    expect(await recordLostExit(record, monitor(false, false), 7_000_000n)).toBe(true);
    expect(record).toMatchObject({
      phase: 'exited',
      exitCode: 255,
      reason: 'Unknown',
      message: 'the monitor is gone',
      finishedAtNs: '7000000',
    });
  });

  it.each([
    ['the monitor is alive', true, false],
    ['the monitor wrote the exit file before it ended', false, true],
  ])('leaves the record running when %s', async (_why, alive, exitRecorded) => {
    const record = runningRecord();
    expect(await recordLostExit(record, monitor(alive, exitRecorded), 1n)).toBe(false);
    expect(record.phase).toBe('running');
  });
});
