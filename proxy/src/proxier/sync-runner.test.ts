import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { SyncRunner } from './sync-runner.js';

function runner(clock: FakeClock, fail = () => false) {
  const syncs: { at: number; full: boolean }[] = [];
  const r = new SyncRunner({
    clock,
    minSyncPeriodMs: 1000,
    syncPeriodMs: 30_000,
    sync: (full) => {
      syncs.push({ at: clock.now() - start, full });
      return fail() ? Promise.reject(new Error('nft failed')) : Promise.resolve();
    },
    onError: () => undefined,
  });
  const start = clock.now();
  return { r, syncs };
}

describe('SyncRunner', () => {
  it('runs changes closer than minSyncPeriod as one sync', async () => {
    const clock = new FakeClock();
    const { r, syncs } = runner(clock);
    r.request(true);
    await clock.advance(0);
    r.request();
    await clock.advance(200);
    r.request();
    await clock.advance(1000);
    expect(syncs).toEqual([
      { at: 0, full: true },
      { at: 1000, full: false },
    ]);
    r.stop();
  });

  it('resyncs in full every syncPeriod', async () => {
    const clock = new FakeClock();
    const { r, syncs } = runner(clock);
    r.request();
    await clock.advance(0);
    await clock.advance(30_000);
    await clock.advance(30_000);
    expect(syncs).toEqual([
      { at: 0, full: false },
      { at: 30_000, full: true },
      { at: 60_000, full: true },
    ]);
    r.stop();
  });

  it('retries a failed sync in full after minSyncPeriod', async () => {
    const clock = new FakeClock();
    let failures = 1;
    const { r, syncs } = runner(clock, () => failures-- > 0);
    const done = r.syncNow();
    await clock.advance(0);
    await clock.advance(1000);
    await done;
    expect(syncs).toEqual([
      { at: 0, full: false },
      { at: 1000, full: true },
    ]);
    r.stop();
  });
});
