import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { SyncRunner, type SyncFailurePolicy } from './sync-runner.js';

function runner(
  clock: FakeClock,
  fail = () => false,
  onFailure: SyncFailurePolicy = 'retry-in-full',
  minSyncPeriodMs = 1000,
) {
  const syncs: { at: number; full: boolean }[] = [];
  const errors: unknown[] = [];
  const r = new SyncRunner({
    clock,
    minSyncPeriodMs,
    syncPeriodMs: 30_000,
    sync: (full) => {
      syncs.push({ at: clock.now() - start, full });
      return fail() ? Promise.reject(new Error('nft failed')) : Promise.resolve();
    },
    onFailure,
    onError: (err) => errors.push(err),
  });
  const start = clock.now();
  return { r, syncs, errors };
}

/** A sync that holds until released, so a test decides when each one ends. */
function gatedSync() {
  let release: () => void = () => undefined;
  const state = { calls: 0 };
  const sync = (): Promise<void> => {
    state.calls++;
    return new Promise((resolve) => {
      release = resolve;
    });
  };
  return { sync, state, release: () => release() };
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

  it('folds requests made during a sync into one more sync', async () => {
    const clock = new FakeClock();
    const gate = gatedSync();
    const r = new SyncRunner({
      clock,
      minSyncPeriodMs: 0,
      syncPeriodMs: 30_000,
      sync: gate.sync,
      onFailure: 'wait-for-next-sync',
      onError: () => undefined,
    });
    const first = r.syncNow();
    await clock.advance(0);
    const second = r.syncNow();
    const third = r.syncNow();
    expect(gate.state.calls).toBe(1);
    gate.release();
    await first;
    await clock.advance(0);
    expect(gate.state.calls).toBe(2);
    gate.release();
    await Promise.all([second, third]);
    expect(gate.state.calls).toBe(2);
    r.stop();
  });

  it('resyncs in full every syncPeriod, and not after stop', async () => {
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
    await clock.advance(60_000);
    expect(syncs).toHaveLength(3);
  });

  it('runs a sync asked for later, or sooner when something else asks', async () => {
    const clock = new FakeClock();
    const { r, syncs } = runner(clock);
    r.request();
    await clock.advance(0);
    r.requestAfter(1500);
    r.requestAfter(5000);
    await clock.advance(1499);
    expect(syncs).toHaveLength(1);
    await clock.advance(1);
    expect(syncs).toEqual([
      { at: 0, full: false },
      { at: 1500, full: false },
    ]);
    await clock.advance(10_000);
    expect(syncs).toHaveLength(2);
    r.stop();
  });

  it('retry-in-full: retries a failed sync in full after minSyncPeriod; syncNow waits for it', async () => {
    const clock = new FakeClock();
    let failures = 1;
    const { r, syncs, errors } = runner(clock, () => failures-- > 0);
    const done = r.syncNow();
    await clock.advance(0);
    await clock.advance(1000);
    await done;
    expect(syncs).toEqual([
      { at: 0, full: false },
      { at: 1000, full: true },
    ]);
    expect(errors).toEqual([new Error('nft failed')]);
    r.stop();
  });

  it('wait-for-next-sync: releases syncNow after a failed sync and retries only on the next request or period', async () => {
    const clock = new FakeClock();
    let failures = 1;
    const { r, syncs, errors } = runner(clock, () => failures-- > 0, 'wait-for-next-sync', 0);
    const done = r.syncNow();
    await clock.advance(0);
    await done;
    expect(errors).toEqual([new Error('nft failed')]);
    await clock.advance(29_999);
    expect(syncs).toHaveLength(1);
    await clock.advance(1);
    expect(syncs).toEqual([
      { at: 0, full: false },
      { at: 30_000, full: true },
    ]);
    r.stop();
  });
});
