import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('resolves with the first answer that is neither undefined nor false', async () => {
    const answers = [undefined, false, 0, 1];
    const value = await eventually('a number', () => answers.shift(), { intervalMs: 1 });
    expect(value).toBe(0);
  });

  it('retries a probe that throws, and names what it waited for and the last error', async () => {
    let calls = 0;
    await expect(
      eventually(
        'the pod to run',
        () => {
          calls++;
          throw new Error('not found');
        },
        { timeoutMs: 20, intervalMs: 1 },
      ),
    ).rejects.toThrow(/timed out after 20 ms waiting for the pod to run; last error: not found/);
    expect(calls).toBeGreaterThan(1);
  });
});
