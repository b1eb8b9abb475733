// A running scheduler for tests, on a real apiserver's client or the fake one: informers synced,
// the scheduling loop started, and both stopped when the test ends.
import type { Client } from '@skiff/client';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { Scheduler, type SchedulerOptions } from '../scheduler.js';

export async function startScheduler(
  client: Client,
  options: Partial<SchedulerOptions> = {},
): Promise<Scheduler> {
  const scheduler = new Scheduler({
    client,
    metricsRegistry: new Registry(),
    log: () => undefined,
    ...options,
  });
  const stop = new AbortController();
  await scheduler.startInformers(stop.signal);
  const running = scheduler.run(stop.signal);
  onTestFinished(async () => {
    stop.abort();
    await running;
  });
  return scheduler;
}
