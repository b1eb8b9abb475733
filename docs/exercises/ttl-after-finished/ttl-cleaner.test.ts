// Grades the TTL-after-finished cleaner (README.md) on a FakeClock: time passes only when a test
// says so, so "not before the TTL" and "right after it" are exact, and waiting an hour takes no
// time. `pnpm exercise ttl-after-finished` runs these against starter/; the normal suite runs
// them against solution/.
import { FakeClock } from '@skiff/api/testing';
import { isNotFound, type Client, type Manager } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { EVENTUALLY, startCluster } from '../../testing/cluster.js';
import { installCrd } from '../../src/index.js';
import { TASK_CRD, taskKind, type Task } from './contract.js';
import { addTtlCleaner } from './impl.js';

const NS = 'default';

interface Fixture {
  readonly client: Client;
  readonly clock: FakeClock;
  readonly manager: Manager;
}

async function cleanerCluster(): Promise<Fixture> {
  const cluster = await startCluster();
  await installCrd(cluster.client, TASK_CRD);
  const clock = new FakeClock();
  const manager = cluster.newManager({ clock });
  addTtlCleaner(manager);
  cluster.start(manager);
  return { client: cluster.client, clock, manager };
}

const tasks = (client: Client) => client.resource<Task>(taskKind, NS);

/** Creates a task and reports it finished `finishedAgoMs` before the fake now. */
async function finishedTask(
  { client, clock }: Fixture,
  name: string,
  ttlSecondsAfterFinished: number | undefined,
  options: { finishedAgoMs?: number; phase?: 'Succeeded' | 'Failed' | 'Running' } = {},
): Promise<void> {
  const created = await tasks(client).create({
    apiVersion: 'exercises.skiff.dev/v1',
    kind: 'Task',
    metadata: { name, namespace: NS },
    spec: {
      command: 'make test',
      ...(ttlSecondsAfterFinished !== undefined && { ttlSecondsAfterFinished }),
    },
  });
  const phase = options.phase ?? 'Succeeded';
  const finished = phase === 'Succeeded' || phase === 'Failed';
  await tasks(client).updateStatus({
    ...created,
    status: {
      phase,
      ...(finished && {
        completionTime: new Date(clock.now() - (options.finishedAgoMs ?? 0)).toISOString(),
      }),
    },
  });
}

async function exists(client: Client, name: string): Promise<boolean> {
  try {
    await tasks(client).get(name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Real time for the controller to do anything it would do without time passing. */
const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 300));

async function reconcileCount(manager: Manager): Promise<number> {
  const metric = await manager.registry
    .getSingleMetric('controller_runtime_reconcile_total')
    ?.get();
  return (metric?.values ?? [])
    .filter((v) => v.labels.controller === 'ttl-after-finished')
    .reduce((sum, v) => sum + v.value, 0);
}

describe('ttl-after-finished', () => {
  it('deletes a finished task when its TTL has passed on the clock, not before', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'build', 60);
    await quietPeriod();
    await f.clock.advance(59_999);
    await quietPeriod();
    expect(await exists(f.client, 'build')).toBe(true);
    await f.clock.advance(1);
    await expect.poll(() => exists(f.client, 'build'), EVENTUALLY).toBe(false);
  });

  it('counts the TTL from completionTime, not from when it noticed the task', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'build', 60, { finishedAgoMs: 50_000 });
    await quietPeriod();
    await f.clock.advance(9_999);
    await quietPeriod();
    expect(await exists(f.client, 'build')).toBe(true);
    await f.clock.advance(1);
    await expect.poll(() => exists(f.client, 'build'), EVENTUALLY).toBe(false);
  });

  it('deletes at once a task whose TTL is 0 or already over', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'now', 0);
    await finishedTask(f, 'overdue', 60, { finishedAgoMs: 3_600_000, phase: 'Failed' });
    await expect.poll(() => exists(f.client, 'now'), EVENTUALLY).toBe(false);
    await expect.poll(() => exists(f.client, 'overdue'), EVENTUALLY).toBe(false);
  });

  it('keeps tasks that are not finished or have no TTL', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'running', 0, { phase: 'Running' });
    await finishedTask(f, 'forever', undefined);
    await quietPeriod();
    await f.clock.advance(24 * 3_600_000);
    // A task that must go, made last: once it is gone, the cleaner has seen the other two.
    await finishedTask(f, 'marker', 0);
    await expect.poll(() => exists(f.client, 'marker'), EVENTUALLY).toBe(false);
    expect(await exists(f.client, 'running')).toBe(true);
    expect(await exists(f.client, 'forever')).toBe(true);
  });

  it('applies a TTL shortened while it waits', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'build', 3600);
    await quietPeriod();
    await f.clock.advance(60_000);
    const task = await tasks(f.client).get('build');
    await tasks(f.client).update({ ...task, spec: { ...task.spec, ttlSecondsAfterFinished: 30 } });
    await expect.poll(() => exists(f.client, 'build'), EVENTUALLY).toBe(false);
  });

  it('applies a TTL lengthened while it waits', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'build', 60);
    await quietPeriod();
    const task = await tasks(f.client).get('build');
    await tasks(f.client).update({ ...task, spec: { ...task.spec, ttlSecondsAfterFinished: 120 } });
    await quietPeriod();
    await f.clock.advance(60_000);
    await quietPeriod();
    expect(await exists(f.client, 'build')).toBe(true);
    await f.clock.advance(60_000);
    await expect.poll(() => exists(f.client, 'build'), EVENTUALLY).toBe(false);
  });

  it('waits with requeueAfter instead of polling', async () => {
    const f = await cleanerCluster();
    await finishedTask(f, 'build', 3600);
    await quietPeriod();
    const before = await reconcileCount(f.manager);
    // An hour, a minute at a time: a controller that polls reconciles again and again.
    for (let minute = 0; minute < 59; minute++) await f.clock.advance(60_000);
    await quietPeriod();
    expect(await exists(f.client, 'build')).toBe(true);
    expect((await reconcileCount(f.manager)) - before).toBeLessThanOrEqual(2);
    await f.clock.advance(60_000);
    await expect.poll(() => exists(f.client, 'build'), EVENTUALLY).toBe(false);
  });
});
