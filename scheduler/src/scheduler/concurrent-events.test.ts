import type { Event } from '@skiff/api';
import { FakeClock, makePod } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { ConcurrentEventRecorder, EVENT_WRITERS } from './concurrent-events.js';

/** An events API that holds every write until released, and says what it was asked. */
function heldEventsApi() {
  const calls: string[] = [];
  const held: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (what: string, event: Event): Promise<Event> => {
    calls.push(`${what} ${event.involvedObject.name ?? ''} count=${event.count ?? ''}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => held.push(resolve));
    inFlight--;
    return { ...event, metadata: { ...event.metadata, resourceVersion: '1' } };
  };
  const events = () => ({
    create: (event: Event) => write('create', event),
    patch: (name: string, patch: { count?: number }) =>
      write('patch', {
        involvedObject: { name: name.split('.')[0] ?? '' },
        metadata: { name },
        count: patch.count ?? 0,
      }),
  });
  // The recorder calls only create and patch on the events client.
  const client = { events } as unknown as Pick<Client, 'events'>;
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const releaseAll = async (): Promise<void> => {
    while (held.length > 0) {
      for (const release of held.splice(0)) release();
      await settle();
    }
  };
  return { client, calls, settle, releaseAll, maxInFlight: () => maxInFlight };
}

const pod = (name: string) =>
  ({ ...makePod().name(name).namespace('shop').obj(), apiVersion: 'v1', kind: 'Pod' }) as const;

describe('ConcurrentEventRecorder', () => {
  it('writes the events of different pods at the same time, at most one per writer', async () => {
    const api = heldEventsApi();
    const recorder = new ConcurrentEventRecorder(api.client, {
      component: 'default-scheduler',
      clock: new FakeClock(),
    });
    for (let i = 0; i < 100; i++) recorder.event(pod(`p-${i}`), 'Normal', 'Scheduled', 'bound');
    await api.settle();
    expect(api.maxInFlight()).toBeGreaterThan(1);
    expect(api.maxInFlight()).toBeLessThanOrEqual(EVENT_WRITERS);
    await api.releaseAll();
    expect(api.calls.filter((c) => c.startsWith('create'))).toHaveLength(100);
  });

  it('keeps one pod’s events on one writer, so a repeat raises the count of the same Event', async () => {
    const api = heldEventsApi();
    const recorder = new ConcurrentEventRecorder(api.client, {
      component: 'default-scheduler',
      clock: new FakeClock(),
    });
    recorder.event(pod('web-0'), 'Warning', 'FailedScheduling', '0/3 nodes are available');
    await api.releaseAll();
    recorder.event(pod('web-0'), 'Warning', 'FailedScheduling', '0/3 nodes are available');
    await api.releaseAll();
    await recorder.shutdown();
    expect(api.calls).toEqual(['create web-0 count=1', 'patch web-0 count=2']);
  });
});
