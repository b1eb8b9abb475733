import type { Container, Probe } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { ProbeOutcome, ProbeResult } from './probe.js';
import { ProbeResults, type ProbeType } from './results.js';
import { ProbeWorker, type ProbedContainer } from './worker.js';

function setup(type: ProbeType, probe: Probe, container: Partial<Container> = {}) {
  const clock = new FakeClock();
  const results = new ProbeResults();
  const answers: ProbeResult[] = [];
  let runs = 0;
  let changes = 0;
  let state: ProbedContainer | undefined = {
    containerId: 'c1',
    running: true,
    startedAt: clock.now(),
    podIP: '10.0.0.1',
  };
  const worker = new ProbeWorker({
    clock,
    type,
    probe,
    container: { name: 'app', ...container },
    state: () => state,
    results,
    run: (): Promise<ProbeOutcome> => {
      runs++;
      return Promise.resolve({ result: answers.shift() ?? 'success', output: '' });
    },
    onChange: () => changes++,
  });
  return {
    clock,
    results,
    worker,
    answer: (...r: ProbeResult[]) => answers.push(...r),
    runs: () => runs,
    changes: () => changes,
    setState: (s: ProbedContainer | undefined) => (state = s),
  };
}

describe('ProbeWorker', () => {
  it('readiness starts not ready, turns ready after successThreshold successes', async () => {
    const t = setup('readiness', { exec: { command: ['true'] }, successThreshold: 2 });
    expect(t.results.get('c1', 'readiness')).toBe('failure');
    await t.worker.doProbe();
    expect(t.results.get('c1', 'readiness')).toBe('failure');
    await t.worker.doProbe();
    expect(t.results.get('c1', 'readiness')).toBe('success');
    expect(t.changes()).toBe(1);
  });

  it('liveness fails only after failureThreshold failures in a row, then holds', async () => {
    const t = setup('liveness', { exec: { command: ['true'] }, failureThreshold: 3 });
    t.answer('failure', 'failure', 'success', 'failure', 'failure', 'failure');
    for (let i = 0; i < 5; i++) await t.worker.doProbe();
    expect(t.results.get('c1', 'liveness')).toBe('success');
    await t.worker.doProbe();
    expect(t.results.get('c1', 'liveness')).toBe('failure');
    expect(t.changes()).toBe(1);
    await t.worker.doProbe();
    expect(t.runs()).toBe(6);
  });

  it('a new container instance starts over from the initial verdict', async () => {
    const t = setup('liveness', { exec: { command: ['true'] }, failureThreshold: 1 });
    t.answer('failure');
    await t.worker.doProbe();
    expect(t.results.get('c1', 'liveness')).toBe('failure');
    t.setState({ containerId: 'c2', running: true, startedAt: t.clock.now(), podIP: '' });
    await t.worker.doProbe();
    expect(t.results.get('c2', 'liveness')).toBe('success');
    expect(t.runs()).toBe(2);
  });

  it('waits initialDelaySeconds from the container start', async () => {
    const t = setup('readiness', { exec: { command: ['true'] }, initialDelaySeconds: 5 });
    await t.worker.doProbe();
    expect(t.runs()).toBe(0);
    await t.clock.advance(5000);
    await t.worker.doProbe();
    expect(t.runs()).toBe(1);
  });

  it('other probes wait for the startup probe to pass', async () => {
    const container = { startupProbe: { exec: { command: ['true'] } } };
    const t = setup('readiness', { exec: { command: ['true'] } }, container);
    await t.worker.doProbe();
    expect(t.runs()).toBe(0);
    t.results.set('c1', 'startup', 'success');
    await t.worker.doProbe();
    expect(t.runs()).toBe(1);
  });

  it('does not probe a container that is not running', async () => {
    const t = setup('liveness', { exec: { command: ['true'] } });
    t.setState({ containerId: 'c1', running: false, startedAt: 0, podIP: '' });
    await t.worker.doProbe();
    t.setState(undefined);
    await t.worker.doProbe();
    expect(t.runs()).toBe(0);
  });

  it('runs every periodSeconds on the clock', async () => {
    const t = setup('readiness', { exec: { command: ['true'] }, periodSeconds: 3 });
    const stop = new AbortController();
    const running = t.worker.run(stop.signal);
    await t.clock.advance(0);
    expect(t.runs()).toBe(1);
    await t.clock.advance(9000);
    expect(t.runs()).toBe(4);
    stop.abort();
    await running;
  });
});
