// The honest version of "a paused leader": the leader runs in its own process and is really
// stopped (SIGSTOP) in the middle of its work, just before the check that guards its write,
// while its lease runs out and another candidate takes over; then it is resumed (SIGCONT).
// Real processes need real time, so the durations are short (lease 3 s, renew deadline 2 s,
// retry 0.5 s) and the test takes ~5 s.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { realClock, type Lease } from '@skiff/api';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createClient } from '../rest/client.js';
import { startApiServer } from '../rest/testing/api-server.js';
import type { WatchEvent } from '../rest/watch.js';
import { LEASE, NAMESPACE, startCandidate } from './testing/candidates.js';

const childScript = fileURLToPath(new URL('./testing/candidate-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const durations = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the first line (printed after this call or before) that starts with `prefix`. */
  line(prefix: string): Promise<string>;
  send(line: string): void;
}

function startChild(server: string, identity: string): Child {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      childScript,
      JSON.stringify({ server, namespace: NAMESPACE, lease: LEASE, identity, ...durations }),
    ],
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let stderr = '';
  let partial = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await exited;
  });
  return {
    process: child,
    line: (prefix) => {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `child ${identity} printed no "${prefix}" line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
              ),
            ),
          20_000,
        );
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

describe('a paused leader in another process', () => {
  it('is replaced after the lease runs out and, once resumed, refuses to write and stops leading', async () => {
    const { url } = await startApiServer();
    const client = createClient({ server: url, qps: Infinity });
    onTestFinished(() => client.close());

    const a = startChild(url, 'a');
    await a.line('started');
    const b = startCandidate(client, realClock, 'b', { ...durations, random: Math.random });
    await vi.waitFor(() => expect(b.history).toContain('leader a'), { timeout: 5_000 });
    a.send('work');
    const beforePause = Number((await a.line('wrote ')).slice('wrote '.length));

    // Every version of the lease from here on, to check who wrote what, and when.
    const leaseWrites: WatchEvent<Lease>[] = [];
    const stopWatch = new AbortController();
    onTestFinished(() => stopWatch.abort());
    const current = await client.leases(NAMESPACE).get(LEASE);
    const watch = await client.leases(NAMESPACE).watch({
      resourceVersion: current.metadata.resourceVersion,
      signal: stopWatch.signal,
    });
    const watching = (async () => {
      for await (const event of watch) leaseWrites.push(event);
    })();
    // Kept to assert on at the end: a watch that broke would leave lease writes unseen.
    const watchEnded = watching.then(
      () => undefined,
      (err: unknown) => err,
    );

    // Stop it in the middle of its work, before the check that guards the write.
    a.send('spin-then-work');
    await a.line('spinning');
    a.process.kill('SIGSTOP');
    await vi.waitFor(() => expect(b.elector.isLeader()).toBe(true), {
      timeout: 15_000,
      interval: 20,
    });
    const takenOver = await client.leases(NAMESPACE).get(LEASE);

    // On waking it finishes the spin and checks isLeader() before any of its timers has run:
    // the abort signal cannot have told it yet, the clock does.
    a.process.kill('SIGCONT');
    expect(await a.line('refused')).toBe('refused signal-aborted=false');
    expect(await a.line('stopped')).toBe('stopped signal-aborted=true');
    // Asked again now, it still refuses.
    a.send('work');
    await a.line('refused signal-aborted=true');

    // Let b renew once more, so the watch has seen everything written after a woke.
    const renewsBefore = b.elector.status().attempts;
    await vi.waitFor(() => expect(b.elector.status().attempts).toBeGreaterThan(renewsBefore + 1), {
      timeout: 5_000,
    });
    stopWatch.abort();
    expect(await watchEnded).toBeUndefined();

    expect(leaseWrites.map((e) => e.type)).toEqual(leaseWrites.map(() => 'MODIFIED'));
    const leases = leaseWrites.flatMap((e) => (e.type === 'MODIFIED' ? [e.object] : []));
    const records = [current, ...leases].map((l) => ({
      rv: Number(l.metadata.resourceVersion),
      ...l.spec,
    }));
    const takeover = records.findIndex((r) => r.holderIdentity === 'b');
    expect(takeover).toBeGreaterThan(0);
    const lastByA = records[takeover - 1];
    const firstByB = records[takeover];
    // b took the lease no sooner than a lease duration after a's last renew...
    expect(
      Date.parse(firstByB?.acquireTime ?? '') - Date.parse(lastByA?.renewTime ?? ''),
    ).toBeGreaterThanOrEqual(durations.leaseDurationMs);
    // ...and after that every write to the lease is b's: a, resumed, wrote nothing.
    expect(records.slice(takeover).map((r) => r.holderIdentity)).toEqual(
      records.slice(takeover).map(() => 'b'),
    );
    expect(records.at(-1)?.rv).toBeGreaterThan(Number(takenOver.metadata.resourceVersion));
    const work = await client.configMaps(NAMESPACE).list();
    const byA = work.items.filter((cm) => cm.data?.writer === 'a');
    expect(byA.map((cm) => Number(cm.metadata.resourceVersion))).toEqual([beforePause]);
    expect(beforePause).toBeLessThan(Number(takenOver.metadata.resourceVersion));
    expect(b.elector.isLeader()).toBe(true);
  });
});
