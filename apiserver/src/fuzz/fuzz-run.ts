// The fuzz loop: `cases` requests, one at a time (so the server's state, and therefore every
// answer, follows from the seed alone), checked as they come back. The fuzzer's own objects
// are re-created now and then, because the fuzz deletes them too and writes need targets.
import { problemsWith, excerpt } from './check.js';
import { caseRng } from './prng.js';
import { fixtureObjects, fuzzRequest, type FuzzRequest } from './requests.js';
import { FuzzClient } from './send.js';

export interface FuzzFailure {
  readonly caseIndex: number;
  readonly request: FuzzRequest;
  readonly status: number;
  readonly problems: readonly string[];
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  /** How many answers had each HTTP status. */
  readonly statuses: ReadonlyMap<number, number>;
  readonly strategies: ReadonlyMap<string, number>;
  /** 2xx answers per method: how often the fuzz got past validation into the write paths. */
  readonly accepted: ReadonlyMap<string, number>;
  readonly failures: readonly FuzzFailure[];
}

export interface FuzzOptions {
  readonly baseUrl: string;
  readonly seed: number;
  readonly cases: number;
  /** Re-create the fixture objects every this many cases. */
  readonly reseedEvery?: number;
  /** Stop collecting after this many failures (the first ones are what a human reads). */
  readonly maxFailures?: number;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const client = new FuzzClient(options.baseUrl);
  const statuses = new Map<number, number>();
  const strategies = new Map<string, number>();
  const accepted = new Map<string, number>();
  const failures: FuzzFailure[] = [];
  const reseedEvery = options.reseedEvery ?? 200;
  try {
    for (let i = 0; i < options.cases; i++) {
      if (i % reseedEvery === 0) await createFixtures(client, i === 0);
      const fuzz = fuzzRequest(caseRng(options.seed, i));
      const res = await client.send(fuzz);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      strategies.set(fuzz.strategy, (strategies.get(fuzz.strategy) ?? 0) + 1);
      if (res.status >= 200 && res.status < 300) {
        accepted.set(fuzz.method, (accepted.get(fuzz.method) ?? 0) + 1);
      }
      const problems = problemsWith(fuzz, res);
      if (problems.length > 0 && failures.length < (options.maxFailures ?? 20)) {
        failures.push({ caseIndex: i, request: fuzz, status: res.status, problems });
      }
    }
  } finally {
    client.close();
  }
  return { seed: options.seed, cases: options.cases, statuses, strategies, accepted, failures };
}

/**
 * Creates what is missing. The first time everything must work; later the fuzz may have left a
 * namespace or the gadgets CRD terminating (403/405 until it is gone), which the next round
 * fixes, so those rounds take what they can get.
 */
async function createFixtures(client: FuzzClient, first: boolean): Promise<void> {
  for (const { path, body, readyPath } of fixtureObjects()) {
    const res = await client.send(post(path, body));
    const terminating = res.status === 403 || res.status === 405;
    if (res.status >= 300 && res.status !== 409 && (first || !terminating)) {
      throw new Error(`creating fixture ${path} answered ${res.status}: ${excerpt(res.text)}`);
    }
    if (readyPath !== undefined) await waitServed(client, readyPath, first);
  }
}

function post(path: string, body: unknown): FuzzRequest {
  return {
    strategy: 'fixture',
    method: 'POST',
    path,
    contentType: 'application/json',
    body: { bytes: Buffer.from(JSON.stringify(body)), chunked: false },
    watch: false,
  };
}

/** A created CRD is served within a second; the fuzz needs its resource before it starts. */
async function waitServed(client: FuzzClient, path: string, required: boolean): Promise<void> {
  const deadline = Date.now() + (required ? 10_000 : 2_000);
  for (;;) {
    const res = await client.send({ strategy: 'fixture', method: 'GET', path, watch: false });
    if (res.status === 200) return;
    if (Date.now() > deadline) {
      if (!required) return;
      throw new Error(`${path} not served: ${res.status} ${res.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A failure as a human reads it: how to replay it, what was sent, what came back. */
export function describeFailure(seed: number, failure: FuzzFailure): string {
  const { request: r } = failure;
  const body = r.body ? excerpt(r.body.bytes.toString('utf8'), 400) : '(none)';
  return [
    `case ${failure.caseIndex} (seed ${seed}, strategy ${r.strategy}): ${r.method} ${excerpt(r.path, 400)} → ${failure.status}`,
    `  content-type: ${r.contentType ?? '(none)'}${r.body?.chunked ? ', chunked' : ''}`,
    `  body: ${JSON.stringify(body)}`,
    ...failure.problems.map((p) => `  problem: ${p}`),
  ].join('\n');
}

export function summarize(report: FuzzReport): string {
  const sorted = <K>(m: ReadonlyMap<K, number>): string =>
    [...m.entries()]
      .sort(([a], [b]) => String(a).localeCompare(String(b), undefined, { numeric: true }))
      .map(([k, n]) => `${String(k)}×${n}`)
      .join(' ');
  return `fuzz seed ${report.seed}: ${report.cases} cases; statuses ${sorted(report.statuses)}; strategies ${sorted(report.strategies)}; 2xx by method ${sorted(report.accepted)}; ${report.failures.length} failures`;
}
