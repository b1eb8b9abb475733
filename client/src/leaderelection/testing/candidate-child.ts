// A leader election candidate in its own process, so a test can pause it for real (SIGSTOP)
// and see what it does on waking (SIGCONT). Run from the repository root:
//   node --conditions=source --import tsx candidate-child.ts '<json options>'
// It prints one line per thing that happens (`started`, `stopped`, `leader <id>`), and for
// each `work` line on stdin it writes a ConfigMap if isLeader() allows (`wrote <rv>`), else
// prints `refused`; `spin-then-work` first keeps the event loop busy for 1.5 s. SIGTERM is a
// clean shutdown.
import { errorMessage } from '@skiff/api';
import { createInterface } from 'node:readline';
import { createClient } from '../../rest/client.js';
import { LeaderElector } from '../leader-elector.js';
import { LeaseLock } from '../lease-lock.js';

interface ChildOptions {
  readonly server: string;
  readonly namespace: string;
  readonly lease: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const client = createClient({ server: options.server, qps: Infinity, retry: { maxAttempts: 1 } });
let leadingSignal: AbortSignal | undefined;
let written = 0;

const elector = new LeaderElector({
  lock: new LeaseLock(client, {
    namespace: options.namespace,
    name: options.lease,
    identity: options.identity,
  }),
  leaseDurationMs: options.leaseDurationMs,
  renewDeadlineMs: options.renewDeadlineMs,
  retryPeriodMs: options.retryPeriodMs,
  log: (message) => process.stderr.write(`${options.identity}: ${message}\n`),
  callbacks: {
    onStartedLeading: (signal) => {
      leadingSignal = signal;
      say('started');
    },
    onStoppedLeading: () => say(`stopped signal-aborted=${String(leadingSignal?.aborted)}`),
    onNewLeader: (identity) => say(`leader ${identity}`),
  },
});

/** The leader's "work": one write, guarded as the README tells leaders to guard writes. */
async function work(): Promise<void> {
  if (!leadingSignal || !elector.isLeader()) {
    say(`refused signal-aborted=${String(leadingSignal?.aborted)}`);
    return;
  }
  written += 1;
  const made = await client.configMaps(options.namespace).create({
    metadata: { name: `work-${options.identity}-${written}` },
    data: { writer: options.identity },
  });
  say(`wrote ${made.metadata.resourceVersion ?? ''}`);
}

/**
 * Busy for `ms` of wall time, then work: a test stops the process during the spin, so on waking
 * the check in work() runs before any timer (the renew deadline's included) has had a chance to.
 */
function spinThenWork(ms: number): Promise<void> {
  say('spinning');
  const until = Date.now() + ms;
  let spins = 0;
  while (Date.now() < until) spins += 1;
  process.stderr.write(`${options.identity}: spun ${spins} times\n`);
  return work();
}

const shutdown = new AbortController();
process.once('SIGTERM', () => shutdown.abort());
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const command = line.trim();
  const done = command === 'spin-then-work' ? spinThenWork(1500) : work();
  done.catch((err: unknown) => {
    say(`error ${errorMessage(err)}`);
  });
});

await elector.run(shutdown.signal);
say('done');
// Stay up after losing the lease, so the test can still ask for work and see it refused.
if (!shutdown.signal.aborted) {
  await new Promise((resolve) =>
    shutdown.signal.addEventListener('abort', resolve, { once: true }),
  );
}
input.close();
client.close();
