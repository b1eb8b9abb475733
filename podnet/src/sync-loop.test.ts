import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { SyncLoop } from './sync-loop.js';

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

describe('SyncLoop', () => {
  it('folds requests made during a sync into one more sync', async () => {
    const gate = gatedSync();
    const loop = new SyncLoop(new FakeClock(), 30_000, gate.sync, () => undefined);
    const first = loop.request();
    const second = loop.request();
    const third = loop.request();
    expect(gate.state.calls).toBe(1);
    gate.release();
    // Let the finished sync's continuation run (microtasks only; no clock involved).
    await new Promise(setImmediate);
    expect(gate.state.calls).toBe(2);
    gate.release();
    await Promise.all([first, second, third]);
    expect(gate.state.calls).toBe(2);
    await loop.stop();
  });

  it('resyncs every period after the last sync, and not after stop', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const loop = new SyncLoop(
      clock,
      30_000,
      () => {
        calls++;
        return Promise.resolve();
      },
      () => undefined,
    );
    await loop.request();
    await clock.advance(29_999);
    expect(calls).toBe(1);
    await clock.advance(1);
    await loop.request().then(() => undefined);
    expect(calls).toBe(3);
    await loop.stop();
    await clock.advance(60_000);
    expect(calls).toBe(3);
  });

  it('reports a failed sync and still resyncs on schedule', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new SyncLoop(
      clock,
      1000,
      () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('ip: exit 2')) : Promise.resolve();
      },
      (err) => errors.push(err),
    );
    await loop.request();
    expect(errors).toEqual([new Error('ip: exit 2')]);
    await clock.advance(1000);
    await loop.stop();
    expect(calls).toBe(2);
  });
});
