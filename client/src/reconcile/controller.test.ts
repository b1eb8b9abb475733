// The worker loop on a FakeClock, without an apiserver: what each outcome does to the next
// reconcile of the same key, as seen from the reconciler.
import { FakeClock } from '@skiff/api/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Controller } from './controller.js';
import { TerminalError, type Request, type Result } from './reconciler.js';

type Step = Result | Error;

/** A controller whose reconciler answers `steps` in turn (then `{}`), recording each call time. */
function scriptedController(steps: Step[], options: { workers?: number } = {}) {
  const clock = new FakeClock(0);
  const registry = new Registry();
  const calls: { request: Request; at: number }[] = [];
  const logs: string[] = [];
  const controller = new Controller({
    name: 'scripted',
    clock,
    registry,
    log: (message) => logs.push(message),
    maxConcurrentReconciles: options.workers ?? 1,
    reconciler: {
      reconcile: async (request) => {
        calls.push({ request, at: clock.now() });
        const step = steps.shift() ?? {};
        if (step instanceof Error) throw step;
        return step;
      },
    },
  });
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  return { controller, clock, registry, calls, logs, stop, running };
}

/** Lets pending work run, then moves fake time, then lets the work that woke up run. */
async function settle(clock: FakeClock, ms = 0): Promise<void> {
  await drain();
  await clock.advance(ms);
  await drain();
}

async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function counter(registry: Registry, name: string, labels: Record<string, string>) {
  const metric = await registry.getSingleMetric(name)?.get();
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value;
}

describe('Controller worker loop', () => {
  it('passes the request parsed from its key', async () => {
    const { controller, clock, calls, stop, running } = scriptedController([]);
    controller.enqueue({ namespace: 'shop', name: 'web' });
    controller.enqueue({ name: 'node-1' });
    await settle(clock);
    expect(calls.map((c) => c.request)).toEqual([
      { namespace: 'shop', name: 'web' },
      { name: 'node-1' },
    ]);
    stop.abort();
    await running;
  });

  it('retries an error with growing backoff, then stops after success', async () => {
    const { controller, clock, calls, registry, logs, stop, running } = scriptedController([
      new Error('boom'),
      new Error('boom'),
      {},
    ]);
    controller.enqueue({ namespace: 'shop', name: 'web' });
    await settle(clock, 1000);
    expect(calls.map((c) => c.at)).toEqual([0, 5, 15]);
    expect(
      await counter(registry, 'controller_runtime_reconcile_errors_total', {
        controller: 'scripted',
      }),
    ).toBe(2);
    expect(
      await counter(registry, 'controller_runtime_reconcile_total', { result: 'success' }),
    ).toBe(1);
    expect(logs[0]).toMatch(/reconcile shop\/web: error, retrying with backoff: boom/);
    stop.abort();
    await running;
  });

  it('comes back after requeueAfter on the clock, not before', async () => {
    const { controller, clock, calls, stop, running } = scriptedController([
      { requeueAfter: 30_000 },
    ]);
    controller.enqueue({ namespace: 'shop', name: 'web' });
    await settle(clock, 29_999);
    expect(calls).toHaveLength(1);
    await settle(clock, 1);
    expect(calls.map((c) => c.at)).toEqual([0, 30_000]);
    stop.abort();
    await running;
  });

  it('does not retry a TerminalError and counts it', async () => {
    const { controller, clock, calls, registry, logs, stop, running } = scriptedController([
      new TerminalError('spec.replicas is negative'),
    ]);
    controller.enqueue({ namespace: 'shop', name: 'web' });
    await settle(clock, 3_600_000);
    expect(calls).toHaveLength(1);
    expect(await counter(registry, 'controller_runtime_terminal_reconcile_errors_total', {})).toBe(
      1,
    );
    expect(logs[0]).toMatch(/terminal error, not retrying: spec.replicas is negative/);
    stop.abort();
    await running;
  });

  it('never reconciles one key in two workers at once, and loses no add made meanwhile', async () => {
    const clock = new FakeClock(0);
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    let release: () => void = () => undefined;
    const controller = new Controller({
      name: 'exclusive',
      clock,
      registry: new Registry(),
      maxConcurrentReconciles: 4,
      reconciler: {
        reconcile: async () => {
          calls++;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise<void>((resolve) => (release = resolve));
          inFlight--;
          return {};
        },
      },
    });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    controller.enqueue({ namespace: 'shop', name: 'web' });
    await settle(clock);
    controller.enqueue({ namespace: 'shop', name: 'web' }); // while it is being reconciled
    await settle(clock);
    expect(calls).toBe(1);
    release();
    await settle(clock);
    expect(calls).toBe(2);
    release();
    await settle(clock);
    expect(maxInFlight).toBe(1);
    stop.abort();
    await running;
  });

  it('drops queued keys unreconciled once its signal aborts', async () => {
    const { controller, clock, calls, stop, running } = scriptedController([]);
    stop.abort();
    controller.enqueue({ namespace: 'shop', name: 'web' });
    await running;
    await settle(clock);
    expect(calls).toHaveLength(0);
  });

  it('refuses a worker count that is not a positive integer', () => {
    expect(
      () =>
        new Controller({
          name: 'bad',
          maxConcurrentReconciles: 0,
          reconciler: { reconcile: async () => ({}) },
        }),
    ).toThrow(/maxConcurrentReconciles must be a positive integer/);
  });
});
