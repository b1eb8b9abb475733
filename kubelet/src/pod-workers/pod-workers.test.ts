import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { PodWorkers, type SyncOutcome } from './pod-workers.js';

/** A sync that blocks until the test releases it, recording every call. */
function controlledSync() {
  const calls: string[] = [];
  const waiting: { uid: string; release: (o: SyncOutcome) => void }[] = [];
  let running = 0;
  let maxConcurrentPerPod = 0;
  const perPod = new Map<string, number>();
  const sync = (uid: string): Promise<SyncOutcome> => {
    calls.push(uid);
    running++;
    perPod.set(uid, (perPod.get(uid) ?? 0) + 1);
    maxConcurrentPerPod = Math.max(maxConcurrentPerPod, perPod.get(uid) ?? 0);
    return new Promise((resolve) =>
      waiting.push({
        uid,
        release: (o) => {
          running--;
          perPod.set(uid, (perPod.get(uid) ?? 1) - 1);
          resolve(o);
        },
      }),
    );
  };
  const releaseAll = async (outcome: SyncOutcome = {}): Promise<void> => {
    while (waiting.length > 0) {
      for (const w of waiting.splice(0)) w.release(outcome);
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
  };
  return { sync, calls, releaseAll, running: () => running, maxPerPod: () => maxConcurrentPerPod };
}

describe('PodWorkers', () => {
  it('never runs two syncs of one pod at once and coalesces updates into one more sync', async () => {
    const clock = new FakeClock();
    const s = controlledSync();
    const workers = new PodWorkers({ clock, sync: s.sync });
    workers.update('a');
    workers.update('a');
    workers.update('a');
    workers.update('b');
    expect(s.calls).toEqual(['a', 'b']);
    expect(workers.state('a')).toBe('syncing');
    await s.releaseAll();
    expect(s.calls).toEqual(['a', 'b', 'a']);
    expect(s.maxPerPod()).toBe(1);
    await workers.idle();
    expect(workers.state('a')).toBe('idle');
  });

  it('syncs again when the sync asks, on the clock', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const workers = new PodWorkers({
      clock,
      sync: (uid) => {
        calls.push(uid);
        return Promise.resolve(calls.length === 1 ? { requeueAfterMs: 10_000 } : {});
      },
    });
    workers.update('a');
    await workers.idle();
    await clock.advance(9_999);
    expect(calls).toEqual(['a']);
    await clock.advance(1);
    await workers.idle();
    expect(calls).toEqual(['a', 'a']);
  });

  it('retries a sync that threw, and drops a finished pod', async () => {
    const clock = new FakeClock();
    let n = 0;
    const logs: string[] = [];
    const workers = new PodWorkers({
      clock,
      log: (m) => logs.push(m),
      sync: () => {
        n++;
        return n === 1
          ? Promise.reject(new Error('runtime down'))
          : Promise.resolve({ finished: true });
      },
    });
    workers.update('a');
    await workers.idle();
    expect(logs).toEqual(['sync of pod a failed: runtime down']);
    await clock.advance(2000);
    await workers.idle();
    expect(n).toBe(2);
    expect(workers.known()).toEqual([]);
  });
});
