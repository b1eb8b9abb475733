// Leader election against a real apiserver, with fake time: who leads, when a follower may take
// over, that a leader stops acting before anyone else can start, and what release does.
import type { Clock } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createClient, type Client } from '../rest/client.js';
import { startApiServer } from '../rest/testing/api-server.js';
import { configProblem } from './config.js';
import { microTime } from './election-record.js';
import {
  attemptsDone,
  LEASE,
  masterStatus,
  NAMESPACE,
  readLease,
  RETRY_MS,
  startCandidate,
  step,
  type Candidate,
} from './testing/candidates.js';
import { ResumableClock } from './testing/resumable-clock.js';
import { startTcpProxy } from './testing/tcp-proxy.js';

const T0 = Date.UTC(2026, 0, 1);

function connect(server: string): Client {
  // One attempt per request: the elector's own loop is what retries.
  const client = createClient({ server, qps: Infinity, retry: { maxAttempts: 1 } });
  onTestFinished(() => client.close());
  return client;
}

async function cluster(): Promise<{ url: string; client: Client }> {
  const { url } = await startApiServer();
  return { url, client: connect(url) };
}

async function untilLeading(candidate: Candidate): Promise<void> {
  await vi.waitFor(() => expect(candidate.elector.isLeader()).toBe(true), { timeout: 5_000 });
}

/** Once `leader` leads, starts candidate `b`, and returns it after its first attempt: following. */
async function followerOf(leader: Candidate, client: Client, clock: Clock): Promise<Candidate> {
  await untilLeading(leader);
  const b = startCandidate(client, clock, 'b');
  await attemptsDone([b], [0]);
  return b;
}

function abortedAt(candidate: Candidate, clock: FakeClock): () => number | undefined {
  let at: number | undefined;
  candidate.leadingSignal()?.addEventListener('abort', () => (at = clock.now()), { once: true });
  return () => at;
}

describe('leader election', () => {
  it('lets the first candidate create the lease and lead while a second one follows', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const a = startCandidate(client, clock, 'a');
    const b = await followerOf(a, client, clock);

    expect(a.history).toEqual(['leader a', 'started']);
    expect(b.history).toEqual(['leader a']);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.getLeader()).toBe('a');
    expect((await readLease(client)).spec).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: microTime(T0),
      renewTime: microTime(T0),
      leaseTransitions: 0,
    });
    expect(microTime(T0)).toBe('2026-01-01T00:00:00.000000Z');
  });

  it('renews every retry period, keeping acquireTime and moving renewTime', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const a = startCandidate(client, clock, 'a');
    await untilLeading(a);
    const before = await readLease(client);

    await step(clock, [a], 3);

    const after = await readLease(client);
    expect(after.spec).toMatchObject({
      holderIdentity: 'a',
      acquireTime: microTime(T0),
      renewTime: microTime(T0 + 3 * RETRY_MS),
      leaseTransitions: 0,
    });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );
  });

  it('lets a follower take over only after the lease duration, on its own clock, of no renewals', async () => {
    const { client } = await cluster();
    const leaderClock = new ResumableClock(T0);
    const followerClock = new FakeClock(T0);
    const a = startCandidate(client, leaderClock, 'a');
    const b = await followerOf(a, client, followerClock);

    // The leader's clock stands still: it is paused and renews nothing.
    await step(followerClock, [b], 7);
    expect(b.elector.status().leading).toBe(false);
    expect(followerClock.now() - T0).toBe(14_000);

    await step(followerClock, [b]);
    await untilLeading(b);
    expect((await readLease(client)).spec).toMatchObject({
      holderIdentity: 'b',
      acquireTime: microTime(T0 + 16_000),
      leaseTransitions: 1,
    });
  });

  it('keeps a paused leader from writing after it resumes: isLeader() is false at once and it stops', async () => {
    const { client } = await cluster();
    const leaderClock = new ResumableClock(T0);
    const followerClock = new FakeClock(T0);
    const a = startCandidate(client, leaderClock, 'a');
    const b = await followerOf(a, client, followerClock);
    await step(followerClock, [b], 8);
    await untilLeading(b);
    const takenOver = await readLease(client);

    // The leader wakes up 16 s later. Before any of its timers has run, a check of isLeader()
    // (what its work must do before acting) already says no.
    leaderClock.jump(16_000);
    expect(a.elector.isLeader()).toBe(false);
    const aAttempts = a.elector.status().attempts;

    // Its renew loop then wakes, sees the deadline long gone and stops without writing.
    await leaderClock.advance(RETRY_MS);
    await a.done;
    expect(a.leadingSignal()?.aborted).toBe(true);
    expect(a.history).toEqual(['leader a', 'started', 'stopped']);
    expect(a.elector.status().attempts).toBe(aAttempts);
    expect(a.logs.join('\n')).toContain('no successful renew within 10000 ms');
    const now = await readLease(client);
    expect(now.metadata.resourceVersion).toBe(takenOver.metadata.resourceVersion);
    expect(now.spec?.holderIdentity).toBe('b');
  });

  it('keeps leading when its renew is only late, past the renew deadline but not the lease, and acts again once renewed', async () => {
    const { client } = await cluster();
    const leaderClock = new ResumableClock(T0);
    const followerClock = new FakeClock(T0);
    const a = startCandidate(client, leaderClock, 'a');
    const b = await followerOf(a, client, followerClock);

    // A starved process: 12 s pass (renew deadline 10 s, lease 15 s) before any timer runs.
    // Nothing failed and nobody else may hold the lease yet, so it may not act, but it is
    // still the leader.
    leaderClock.jump(12_000);
    expect(a.elector.isLeader()).toBe(false);

    // Its renew loop wakes at 14 s and renews the lease it still holds (client-go would too:
    // its deadline counts from the start of a renew round, not from the last success).
    await step(leaderClock, [a]);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.leadingSignal()?.aborted).toBe(false);
    expect(a.history).toEqual(['leader a', 'started']);
    expect((await readLease(client)).spec).toMatchObject({
      holderIdentity: 'a',
      renewTime: microTime(T0 + 14_000),
      leaseTransitions: 0,
    });

    // The renew watchdog, when its timer runs late too, finds nothing failed and lets it be.
    await step(leaderClock, [a], 4);
    expect(a.elector.status().leading).toBe(true);
    expect(a.leadingSignal()?.aborted).toBe(false);

    // The follower saw the lease change and does not take it.
    await step(followerClock, [b], 8);
    expect(b.elector.status().leading).toBe(false);
    expect(b.elector.getLeader()).toBe('a');
  });

  it('aborts the leader’s signal at the renew deadline, before a follower may take the lease', async () => {
    const { url, client } = await cluster();
    const proxy = await startTcpProxy(url);
    const clock = new FakeClock(T0);
    const a = startCandidate(connect(proxy.url), clock, 'a');
    const b = await followerOf(a, client, clock);
    const leaderStoppedAt = abortedAt(a, clock);

    await proxy.cut();
    let followerLeadsAt: number | undefined;
    while (followerLeadsAt === undefined && clock.now() < T0 + 30_000) {
      await step(clock, [a, b]);
      if (b.elector.status().leading) followerLeadsAt = clock.now();
    }

    expect(leaderStoppedAt()).toBe(T0 + 10_000);
    expect(followerLeadsAt).toBe(T0 + 16_000);
    await a.done;
    expect(a.history.at(-1)).toBe('stopped');
    expect(a.logs.join('\n')).toMatch(/acquire or renew failed: .*ECONNREFUSED|refused/);
  });

  it('stops leading at once when the lease says someone else holds it', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const a = startCandidate(client, clock, 'a');
    await untilLeading(a);
    const lease = await readLease(client);
    await client
      .leases(NAMESPACE)
      .update({ ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    const stoppedAt = abortedAt(a, clock);

    await step(clock, [a]);
    await a.done;

    expect(stoppedAt()).toBe(T0 + RETRY_MS);
    expect(a.history).toEqual(['leader a', 'started', 'leader intruder', 'stopped']);
    expect((await readLease(client)).spec?.holderIdentity).toBe('intruder');
  });

  it('releases the lease on shutdown once the work has stopped, and a follower takes it next period', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let stopping: () => void = () => undefined;
    const workStopping = new Promise<void>((resolve) => (stopping = resolve));
    const a = startCandidate(client, clock, 'a', {
      work: async (signal) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        a.history.push('work stopping');
        stopping();
        await gate;
      },
    });
    const b = await followerOf(a, client, clock);

    const shutdown = a.shutdown();
    await workStopping;
    // The work is still winding down: the lease must still be held.
    expect((await readLease(client)).spec?.holderIdentity).toBe('a');
    openGate();
    await shutdown;

    expect(a.history).toEqual(['leader a', 'started', 'work stopping', 'stopped']);
    expect((await readLease(client)).spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 0,
    });
    await step(clock, [b]);
    await untilLeading(b);
    expect((await readLease(client)).spec).toMatchObject({
      holderIdentity: 'b',
      leaseTransitions: 1,
      acquireTime: microTime(T0 + RETRY_MS),
    });
  });

  it('counts a transition every time the lease changes hands', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const transitions: number[] = [];
    for (const identity of ['a', 'b', 'a', 'c']) {
      const candidate = startCandidate(client, clock, identity);
      await untilLeading(candidate);
      transitions.push((await readLease(client)).spec?.leaseTransitions ?? -1);
      await candidate.shutdown();
    }
    expect(transitions).toEqual([0, 1, 2, 3]);
  });

  it('keeps the lease and its transitions when the leader renews without a release', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const a = startCandidate(client, clock, 'a', { releaseOnCancel: false });
    await untilLeading(a);
    await step(clock, [a], 2);
    await a.shutdown();
    expect((await readLease(client)).spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
  });

  it('makes exactly one of two candidates that start together the leader', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const both = [startCandidate(client, clock, 'a'), startCandidate(client, clock, 'b')];
    await attemptsDone(both, [0, 0]);
    await step(clock, both, 3);

    const leaders = both.filter((c) => c.elector.isLeader()).map((c) => c.identity);
    expect(leaders).toHaveLength(1);
    const holder = (await readLease(client)).spec?.holderIdentity;
    expect(leaders).toEqual([holder]);
    for (const c of both) expect(c.history[0]).toBe(`leader ${holder}`);
  });

  it('reports leader_election_master_status 1 for the leader and 0 for a follower', async () => {
    const { client } = await cluster();
    const clock = new FakeClock(T0);
    const a = startCandidate(client, clock, 'a');
    const b = await followerOf(a, client, clock);

    expect(await masterStatus(a)).toBe(1);
    expect(await masterStatus(b)).toBe(0);
    await a.shutdown();
    expect(await masterStatus(a)).toBe(0);
  });

  it('uses the lease in the namespace and name it was given', async () => {
    const { client } = await cluster();
    const a = startCandidate(client, new FakeClock(T0), 'a');
    await untilLeading(a);
    const lease = await readLease(client);
    expect(lease.metadata).toMatchObject({ name: LEASE, namespace: NAMESPACE });
  });
});

describe('leader election configuration', () => {
  it.each([
    { lease: 15_000, renew: 10_000, retry: 2_000, problem: undefined },
    { lease: 15_500, renew: 10_000, retry: 2_000, problem: 'whole number of seconds' },
    { lease: 0, renew: 0, retry: 2_000, problem: 'at least 1000' },
    { lease: 10_000, renew: 10_000, retry: 2_000, problem: 'greater than renewDeadlineMs' },
    { lease: 15_000, renew: 10_000, retry: 0, problem: 'retryPeriodMs must be greater than 0' },
    { lease: 15_000, renew: 2_400, retry: 2_000, problem: '1.2 × retryPeriodMs' },
  ])(
    'lease $lease, renew deadline $renew, retry $retry → $problem',
    ({ lease, renew, retry, problem }) => {
      const found = configProblem({
        leaseDurationMs: lease,
        renewDeadlineMs: renew,
        retryPeriodMs: retry,
      });
      if (problem === undefined) expect(found).toBeUndefined();
      else expect(found).toContain(problem);
    },
  );
});
