import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PLUGIN_METRICS_BUFFER_SIZE, SchedulerMetrics } from './metrics.js';

async function pluginObservations(registry: Registry): Promise<number> {
  const metric = await registry
    .getSingleMetric('scheduler_plugin_execution_duration_seconds')
    ?.get();
  return (
    metric?.values
      .filter(
        (v) =>
          ('metricName' in v ? v.metricName : '') ===
          'scheduler_plugin_execution_duration_seconds_count',
      )
      .reduce((n, v) => n + v.value, 0) ?? 0
  );
}

describe('SchedulerMetrics plugin timings', () => {
  it('are buffered until flushed, and those beyond the buffer are dropped, as Kubernetes’ async recorder', async () => {
    const registry = new Registry();
    const metrics = new SchedulerMetrics(registry);
    const fwk = metrics.forProfile('default-scheduler');
    for (let i = 0; i < PLUGIN_METRICS_BUFFER_SIZE + 500; i++) {
      fwk.plugin('NodeResourcesFit', 'Filter', 'Success', 0.00001);
    }
    expect(await pluginObservations(registry)).toBe(0);
    metrics.flushPluginDurations();
    expect(await pluginObservations(registry)).toBe(PLUGIN_METRICS_BUFFER_SIZE);
    fwk.plugin('NodeResourcesFit', 'Score', 'Success', 0.00001);
    metrics.flushPluginDurations();
    expect(await pluginObservations(registry)).toBe(PLUGIN_METRICS_BUFFER_SIZE + 1);
  });
});

describe('SchedulerMetrics pending pods', () => {
  it('are counted per queue when scraped, from the queue as it is then', async () => {
    const registry = new Registry();
    const metrics = new SchedulerMetrics(registry);
    let counts = { active: 3, backoff: 1, unschedulable: 0 };
    metrics.countPendingWith(() => counts);
    const scrape = async (): Promise<Record<string, number>> => {
      const metric = await registry.getSingleMetric('scheduler_pending_pods')?.get();
      return Object.fromEntries(metric?.values.map((v) => [v.labels['queue'], v.value]) ?? []);
    };
    expect(await scrape()).toEqual({ active: 3, backoff: 1, unschedulable: 0 });
    counts = { active: 0, backoff: 0, unschedulable: 2 };
    expect(await scrape()).toEqual({ active: 0, backoff: 0, unschedulable: 2 });
  });
});
