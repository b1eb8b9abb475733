import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ProxyHealth } from './health.js';

describe('ProxyHealth', () => {
  it.each([
    {
      name: 'is healthy with nothing waiting',
      queuedAgoMs: undefined,
      synced: false,
      healthy: true,
    },
    {
      name: 'is healthy while a change waits less than the timeout',
      queuedAgoMs: 59_000,
      synced: false,
      healthy: true,
    },
    {
      name: 'is unhealthy once a change waits past the timeout',
      queuedAgoMs: 60_000,
      synced: false,
      healthy: false,
    },
    {
      name: 'is healthy again once a sync started after the change succeeds',
      queuedAgoMs: 90_000,
      synced: true,
      healthy: true,
    },
  ])('$name', async ({ queuedAgoMs, synced, healthy }) => {
    const clock = new FakeClock();
    const health = new ProxyHealth(clock, 60_000);
    if (queuedAgoMs !== undefined) {
      health.queued();
      await clock.advance(queuedAgoMs);
    }
    if (synced) health.updated(clock.now());
    expect(health.status().healthy).toBe(healthy);
  });

  it('keeps a change queued during a sync that started before it', async () => {
    const clock = new FakeClock();
    const health = new ProxyHealth(clock, 60_000);
    const started = clock.now();
    await clock.advance(10);
    health.queued();
    health.updated(started);
    await clock.advance(60_000);
    expect(health.status().healthy).toBe(false);
  });
});
