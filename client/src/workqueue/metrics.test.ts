import { FakeClock } from '@skiff/api/testing';
import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ItemExponentialFailureRateLimiter } from './exponential-rate-limiter.js';
import { WorkQueue } from './queue.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';

/** The value of one sample (e.g. `workqueue_depth`, `..._sum`) for a queue name, as scraped. */
async function sample(
  registry: Registry,
  sampleName: string,
  queueName: string,
  le?: number,
): Promise<number | undefined> {
  for (const family of await registry.getMetricsAsJSON()) {
    for (const value of family.values) {
      const name = 'metricName' in value ? value.metricName : family.name;
      if (name === sampleName && value.labels.name === queueName && value.labels.le === le) {
        return value.value;
      }
    }
  }
  return undefined;
}

async function takeKey(queue: WorkQueue): Promise<string> {
  const item = await queue.get();
  if (item.shutdown) throw new Error('queue shut down');
  return item.key;
}

describe('workqueue metrics', () => {
  it('reports depth, adds, latencies, retries and unfinished work through a scripted run', async () => {
    const clock = new FakeClock(0);
    const registry = new Registry();
    const queue = new RateLimitingQueue({
      name: 'pods',
      clock,
      registry,
      rateLimiter: new ItemExponentialFailureRateLimiter(5, 1_000_000),
    });
    const read = (sampleName: string, le?: number): Promise<number | undefined> =>
      sample(registry, sampleName, 'pods', le);

    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a'); // a duplicate: not an add
    expect(await read('workqueue_adds_total')).toBe(2);
    expect(await read('workqueue_depth')).toBe(2);

    await clock.advance(1000);
    expect(await takeKey(queue)).toBe('ns/a'); // waited 1 s
    expect(await read('workqueue_depth')).toBe(1);
    expect(await read('workqueue_queue_duration_seconds_count')).toBe(1);
    expect(await read('workqueue_queue_duration_seconds_sum')).toBe(1);

    await clock.advance(2000);
    expect(await read('workqueue_unfinished_work_seconds')).toBe(2);
    expect(await read('workqueue_longest_running_processor_seconds')).toBe(2);
    expect(await takeKey(queue)).toBe('ns/b'); // waited 3 s
    expect(await read('workqueue_queue_duration_seconds_sum')).toBe(4);
    expect(await read('workqueue_queue_duration_seconds_bucket', 1)).toBe(1);
    expect(await read('workqueue_queue_duration_seconds_bucket', 10)).toBe(2);

    await clock.advance(500);
    expect(await read('workqueue_unfinished_work_seconds')).toBe(3); // 2.5 s + 0.5 s
    expect(await read('workqueue_longest_running_processor_seconds')).toBe(2.5);
    queue.done('ns/a'); // held 2.5 s
    expect(await read('workqueue_work_duration_seconds_count')).toBe(1);
    expect(await read('workqueue_work_duration_seconds_sum')).toBe(2.5);
    expect(await read('workqueue_unfinished_work_seconds')).toBe(0.5);

    queue.addRateLimited('ns/a');
    expect(await read('workqueue_retries_total')).toBe(1);
    expect(await read('workqueue_depth')).toBe(0); // held back, not yet queued
    await clock.advance(5);
    expect(await read('workqueue_depth')).toBe(1);
    expect(await read('workqueue_adds_total')).toBe(3);
  });

  it('counts an add made while the key is processed, and times its wait from that add', async () => {
    const clock = new FakeClock(0);
    const registry = new Registry();
    const queue = new WorkQueue({ name: 'nodes', clock, registry });
    queue.add('n1');
    await takeKey(queue);
    await clock.advance(100);
    queue.add('n1');
    expect(await sample(registry, 'workqueue_depth', 'nodes')).toBe(1);
    await clock.advance(400);
    queue.done('n1');
    await clock.advance(250);
    await takeKey(queue);
    expect(await sample(registry, 'workqueue_queue_duration_seconds_sum', 'nodes')).toBe(0.65);
  });

  it('shares the metric families between queues on one registry, one series per name', async () => {
    const registry = new Registry();
    const pods = new WorkQueue({ name: 'pods', registry });
    const nodes = new WorkQueue({ name: 'nodes', registry });
    const podsAgain = new WorkQueue({ name: 'pods', registry });
    pods.add('a');
    podsAgain.add('b');
    nodes.add('c');
    expect(await sample(registry, 'workqueue_adds_total', 'pods')).toBe(2);
    expect(await sample(registry, 'workqueue_adds_total', 'nodes')).toBe(1);
  });

  it('shows a named queue at zero before anything happens', async () => {
    const registry = new Registry();
    new WorkQueue({ name: 'idle', registry });
    expect(await sample(registry, 'workqueue_depth', 'idle')).toBe(0);
    expect(await sample(registry, 'workqueue_unfinished_work_seconds', 'idle')).toBe(0);
  });

  it('reports nothing for a queue without a name', async () => {
    const registry = new Registry();
    new WorkQueue({ registry }).add('a');
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });

  it('stops reporting unfinished work once a queue has shut down and drained', async () => {
    const clock = new FakeClock(0);
    const registry = new Registry();
    const queue = new WorkQueue({ name: 'gone', clock, registry });
    queue.add('a');
    await takeKey(queue);
    queue.shutDown();
    await clock.advance(1000);
    expect(await sample(registry, 'workqueue_unfinished_work_seconds', 'gone')).toBe(1);
    queue.done('a');
    expect(await sample(registry, 'workqueue_unfinished_work_seconds', 'gone')).toBeUndefined();
  });

  it('registers the families again on a registry that was cleared', async () => {
    const registry = new Registry();
    new WorkQueue({ name: 'before', registry });
    registry.clear();
    new WorkQueue({ name: 'after', registry }).add('a');
    expect(await sample(registry, 'workqueue_adds_total', 'after')).toBe(1);
  });

  it("registers on prom-client's global registry by default, once for many queues", async () => {
    new WorkQueue({ name: 'global-one' }).add('a');
    new WorkQueue({ name: 'global-two' }).add('a');
    expect(await sample(globalRegistry, 'workqueue_adds_total', 'global-one')).toBe(1);
    expect(await sample(globalRegistry, 'workqueue_adds_total', 'global-two')).toBe(1);
  });
});
