import { describe, expect, it } from 'vitest';
import { slowStartBatch } from './slow-start.js';

/** A call that records the batch it ran in and fails from call number `failFrom` on. */
function recorder(failFrom = Infinity) {
  const batches: number[] = [];
  let calls = 0;
  let inFlight = 0;
  const call = async (): Promise<void> => {
    calls++;
    const n = calls;
    if (inFlight === 0) batches.push(0);
    inFlight++;
    batches[batches.length - 1] = (batches[batches.length - 1] ?? 0) + 1;
    await Promise.resolve();
    inFlight--;
    if (n >= failFrom) throw new Error(`call ${n} failed`);
  };
  return { batches, call, calls: () => calls };
}

describe('slowStartBatch', () => {
  it('doubles the batch size: 1, 2, 4, 8, then the rest', async () => {
    const r = recorder();
    const result = await slowStartBatch(20, 1, r.call);
    expect(result).toEqual({ successes: 20 });
    expect(r.batches).toEqual([1, 2, 4, 8, 5]);
  });

  it('stops after the first batch with a failure', async () => {
    const r = recorder(5); // calls 5, 6, 7 (in the batch of 4) fail
    const result = await slowStartBatch(100, 1, r.call);
    expect(result.successes).toBe(4);
    expect(String(result.error)).toContain('call 5 failed');
    expect(r.calls()).toBe(7);
  });

  it('makes one call only when the first one fails', async () => {
    const r = recorder(1);
    const result = await slowStartBatch(500, 1, r.call);
    expect(result.successes).toBe(0);
    expect(r.calls()).toBe(1);
  });

  it('does nothing for zero', async () => {
    const r = recorder();
    expect(await slowStartBatch(0, 1, r.call)).toEqual({ successes: 0 });
    expect(r.calls()).toBe(0);
  });
});
