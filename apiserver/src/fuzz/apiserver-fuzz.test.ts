// No client input ever yields a 5xx or a crash: random bytes, garbled JSON/YAML, mutated valid
// objects of every kind, hostile URLs and queries, at every verb and subresource, against a
// real apiserver on each backend. Deterministic per seed; a failure prints the seed and the
// exact requests. Explore other seeds with SKIFF_FUZZ_SEED=<n|random>, longer runs with
// SKIFF_FUZZ_CASES=<n>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServerBackends, startApi } from '../server/testing/api-fixture.js';
import { describeFailure, runFuzz, summarize } from './fuzz-run.js';

const DEFAULT_SEED = 20_260_101;
const seed = seedFromEnv(process.env.SKIFF_FUZZ_SEED);
const extraCases = Number(process.env.SKIFF_FUZZ_CASES ?? 0);
// etcd fsyncs every write, so it gets fewer cases in the same time budget.
const casesFor: Record<string, number> = { embedded: 2500, etcd: 500 };

const backends = apiServerBackends();

const processErrors: string[] = [];
const onUnhandled = (reason: unknown): void => {
  processErrors.push(
    `unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  );
};
const onUncaught = (err: Error): void => {
  processErrors.push(`uncaughtException: ${err.stack ?? err.message}`);
};

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUncaught);
});

describe.each(backends)('fuzzing the apiserver on $name storage', (backend) => {
  it('answers every request below 500 with Status errors and stays healthy', async () => {
    const logged: string[] = [];
    const { url, client } = await startApi(backend, { log: (m) => logged.push(m) });
    const cases = extraCases > 0 ? extraCases : (casesFor[backend.name] ?? 500);

    const report = await runFuzz({ baseUrl: url, seed, cases });
    console.log(`${backend.name}: ${summarize(report)}`);

    const replay = `replay with SKIFF_FUZZ_SEED=${seed} SKIFF_FUZZ_CASES=${cases}`;
    const failures = report.failures.map((f) => describeFailure(seed, f)).join('\n\n');
    expect(failures, replay).toBe('');
    expect(logged, `the apiserver logged unexpected errors (${replay})`).toEqual([]);
    expect(processErrors, replay).toEqual([]);
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const health = await client.get(path);
      expect(health.status, `${path}: ${health.text} (${replay})`).toBe(200);
    }
  }, 120_000);
});

function seedFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return Math.floor(Math.random() * 2 ** 32);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`SKIFF_FUZZ_SEED must be a non-negative integer or "random", not ${value}`);
  return n;
}
