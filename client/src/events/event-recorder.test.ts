// The event recorder against a real apiserver, with fake time: what an Event looks like, how
// repeats and similar events are folded, the spam limit, and that recording never hurts the
// caller when the apiserver is away.
import type { ConfigMap, Event } from '@skiff/api';
import { FakeClock, makeConfigMap } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createClient, type Client } from '../rest/client.js';
import { startApiServer } from '../rest/testing/api-server.js';
import { startTcpProxy } from '../leaderelection/testing/tcp-proxy.js';
import { EventRecorder, type EventRecorderOptions } from './event-recorder.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

function connect(server: string): Client {
  const client = createClient({ server, qps: Infinity, retry: { maxAttempts: 1 } });
  onTestFinished(() => client.close());
  return client;
}

async function setup(options: Partial<EventRecorderOptions> = {}) {
  const { url } = await startApiServer();
  const client = connect(url);
  const clock = new FakeClock(T0);
  const logs: string[] = [];
  const recorder = new EventRecorder(client, {
    component: 'test-controller',
    host: 'node-1',
    clock,
    log: (m) => logs.push(m),
    ...options,
  });
  const settings = await client
    .configMaps('default')
    .create(makeConfigMap().name('settings').obj());
  const events = async (): Promise<Event[]> => {
    await recorder.flush();
    const list = await client.events('default').list();
    return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  };
  return { url, client, clock, logs, recorder, settings, events };
}

/** A recorder whose apiserver is away: its connections go through a proxy that is cut. */
async function setupApiserverAway(options: Partial<EventRecorderOptions>) {
  const { url } = await startApiServer();
  const proxy = await startTcpProxy(url);
  await proxy.cut();
  const clock = new FakeClock(T0);
  const logs: string[] = [];
  const recorder = new EventRecorder(connect(proxy.url), {
    component: 'test-controller',
    clock,
    log: (m) => logs.push(m),
    ...options,
  });
  const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
  return { clock, logs, recorder, cm };
}

/**
 * Flushes a recorder whose writes wait on the fake clock between retries: each time it parks on
 * its retry wait, the clock moves `stepMs`. No wall-clock time is involved, however slow the
 * machine is to get a connection refused.
 */
async function flushAdvancing(recorder: EventRecorder, clock: FakeClock, stepMs: number) {
  let flushed = false;
  const flushing = recorder.flush().then(() => (flushed = true));
  for (;;) {
    await Promise.race([flushing, clock.waitForTimers()]);
    if (flushed) return;
    await clock.advance(stepMs);
  }
}

describe('EventRecorder', () => {
  it('creates an Event describing the object, who reported it and when', async () => {
    const { recorder, settings, events } = await setup();

    recorder.event(settings, 'Normal', 'Synced', 'synced %d keys to %s', 1, 'cache');

    const [event, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      metadata: {
        name: `settings.${(BigInt(T0) * 1_000_000n).toString(16)}`,
        namespace: 'default',
      },
      involvedObject: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        namespace: 'default',
        name: 'settings',
        uid: settings.metadata.uid,
        resourceVersion: settings.metadata.resourceVersion,
      },
      type: 'Normal',
      reason: 'Synced',
      message: 'synced 1 keys to cache',
      source: { component: 'test-controller', host: 'node-1' },
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
      reportingComponent: 'test-controller',
      reportingInstance: 'node-1',
    });
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const { client, recorder, events } = await setup();
    const ns = await client.namespaces().create({ metadata: { name: 'team-a' } });

    recorder.event(ns, 'Warning', 'Stuck', 'finalizers pending');

    const [event] = await events();
    expect(event?.involvedObject).toMatchObject({ kind: 'Namespace', name: 'team-a' });
    expect(event?.involvedObject.namespace).toBeUndefined();
  });

  it('counts repeats of the same event on one Event, moving lastTimestamp', async () => {
    const { clock, recorder, settings, events } = await setup();

    for (let i = 0; i < 3; i++) {
      recorder.event(settings, 'Warning', 'SyncFailed', 'the cache is full');
      await recorder.flush();
      await clock.advance(MINUTE);
    }

    const all = await events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      count: 3,
      message: 'the cache is full',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:02:00Z',
    });
  });

  it('keeps events with different reasons or objects apart', async () => {
    const { client, recorder, settings, events } = await setup();
    const other = await client.configMaps('default').create(makeConfigMap().name('other').obj());

    recorder.event(settings, 'Normal', 'Synced', 'ok');
    recorder.event(settings, 'Normal', 'Updated', 'ok');
    recorder.event(other, 'Normal', 'Synced', 'ok');
    recorder.event(settings, 'Normal', 'Synced', 'ok');

    const counts = (await events()).map((e) => `${e.involvedObject.name} ${e.reason} ${e.count}`);
    expect(counts.sort()).toEqual(['other Synced 1', 'settings Synced 2', 'settings Updated 1']);
  });

  it('combines similar events after 10 different messages in 10 minutes', async () => {
    const { clock, recorder, settings, events } = await setup();

    for (let i = 0; i < 12; i++) {
      recorder.event(settings, 'Warning', 'PullFailed', `attempt ${i} failed`);
      await clock.advance(10_000);
    }

    const all = await events();
    const combined = all.filter((e) => e.message?.startsWith('(combined from similar events)'));
    expect(all).toHaveLength(10);
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      message: '(combined from similar events): attempt 11 failed',
      count: 3,
      reason: 'PullFailed',
    });

    // Ten quiet minutes later the group starts over: a new message is its own Event again.
    await clock.advance(11 * MINUTE);
    recorder.event(settings, 'Warning', 'PullFailed', 'attempt 12 failed');
    expect((await events()).map((e) => e.message)).toContain('attempt 12 failed');
  });

  it('drops events past a burst of 25 per object, then allows one per 5 minutes', async () => {
    const { client, clock, recorder, settings, events } = await setup();
    const other = await client.configMaps('default').create(makeConfigMap().name('other').obj());

    for (let i = 0; i < 30; i++) recorder.event(settings, 'Normal', 'Tick', 'tick');
    recorder.event(other, 'Normal', 'Tick', 'tick');
    const afterBurst = await events();
    expect(afterBurst.map((e) => `${e.involvedObject.name} ${e.count}`).sort()).toEqual([
      'other 1',
      'settings 25',
    ]);

    recorder.event(settings, 'Normal', 'Tick', 'tick');
    await clock.advance(5 * MINUTE);
    recorder.event(settings, 'Normal', 'Tick', 'tick');
    const refilled = (await events()).find((e) => e.involvedObject.name === 'settings');
    // The count says how often it happened, the dropped ones included.
    expect(refilled?.count).toBe(32);
  });

  it('creates a repeat anew when the server no longer has the Event', async () => {
    const { client, recorder, settings, events } = await setup();
    recorder.event(settings, 'Normal', 'Synced', 'ok');
    const [first] = await events();
    await client.events('default').delete(first?.metadata.name ?? '');

    recorder.event(settings, 'Normal', 'Synced', 'ok');

    const all = await events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ metadata: { name: first?.metadata.name }, count: 2 });
  });

  it('never throws into the caller, and drops an event after its retries while the apiserver is away', async () => {
    const { clock, logs, recorder, cm } = await setupApiserverAway({
      maxAttempts: 3,
      retryDelayMs: 10_000,
    });

    expect(recorder.event(cm, 'Normal', 'Synced', 'ok')).toBeUndefined();
    expect(() =>
      recorder.event({ metadata: { name: 'no-kind' } }, 'Normal', 'R', 'm'),
    ).not.toThrow();
    await flushAdvancing(recorder, clock, 10_000);

    expect(logs).toEqual([
      'could not record event R: no-kind has no apiVersion and kind to refer to it by',
      expect.stringMatching(
        /^dropped event Synced for ConfigMap x after 3 attempts: .*ECONNREFUSED/,
      ),
    ]);
  });

  it('drops events beyond its queue with a log line instead of growing without bound', async () => {
    const { logs, recorder, cm } = await setupApiserverAway({ queueSize: 2, maxAttempts: 1 });

    for (let i = 0; i < 4; i++) recorder.event(cm, 'Normal', 'Synced', `number ${i}`);
    await recorder.shutdown();
    recorder.event(cm, 'Normal', 'Synced', 'after shutdown');

    expect(logs.filter((l) => l.includes('already queued'))).toEqual([
      'dropped event Synced (number 2): 2 events already queued',
      'dropped event Synced (number 3): 2 events already queued',
    ]);
    expect(logs.at(-1)).toBe('dropped event Synced (after shutdown): the recorder is shut down');
  });

  it('does not retry an event the server rejects', async () => {
    const { recorder, logs, events } = await setup();
    const invalid: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'Not_A_Name', namespace: 'default' },
    };

    recorder.event(invalid, 'Normal', 'Synced', 'ok');

    expect(await events()).toEqual([]);
    expect(logs).toEqual([
      expect.stringMatching(
        /^the server rejected event Synced for ConfigMap default\/Not_A_Name, not retrying: /,
      ),
    ]);
  });
});
