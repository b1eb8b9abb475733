// `pnpm bench up`: how fast `skiff up` gives a usable cluster and how much memory it then holds.
// For each mode — one process (the default) and --split — in one run each:
//   - the time from spawning `skiff up --apply manifests/demo` to its node Ready and to the
//     demo's pods Running (read from the API every 100 ms, from outside, so module loading and
//     everything `up` does count), and what `up` itself printed;
//   - after a minute with the demo running, the resident memory of every process that cluster
//     started (./process-memory.ts says which: skiff up, its children, conmons, containers),
//     per role, as RSS (what `ps` shows and the target counts) and PSS (shared pages split).
// Targets: node Ready ≤ 2 s, idle RSS ≤ 150 MB; each figure is printed with its ratio to them.
// It runs the build (`node cli/dist/main.js`, what `pnpm skiff` runs), as a user does. Needs
// root (real containers). Not a test: nothing here passes or fails.
//
// Options: --modes one-process,split (default both), --idle SECONDS (default 60), --timeout
// SECONDS (default 300: how long node Ready and the demo may take; a loaded machine needs more),
// --node-flags "…" (node's flags for `skiff up`; default skiff's own, ../up/node-flags.ts, as
// `pnpm skiff` and the `skiff` bin pass them; --node-flags= for node's defaults: the figures
// before that choice), --keep (leave the state dirs for a look at their logs).
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../up/free-port.js';
import { removeBridgeAndRules, removeIfUnmounted, unusedPodCidr } from '../testing/host-network.js';
import { SKIFF_NODE_FLAGS } from '../up/node-flags.js';
import { clusterMemory } from './process-memory.js';

const { values: flags } = parseArgs({
  options: {
    modes: { type: 'string', default: 'one-process,split' },
    idle: { type: 'string', default: '60' },
    timeout: { type: 'string', default: '300' },
    'node-flags': { type: 'string', default: SKIFF_NODE_FLAGS.join(' ') },
    keep: { type: 'boolean', default: false },
  },
});
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(repo, 'cli', 'dist', 'main.js');
const demo = join(repo, 'manifests', 'demo');
const READY_TARGET_S = 2;
const RSS_TARGET_MB = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

interface Conditioned {
  items: { status?: { phase?: string; conditions?: { type: string; status: string }[] } }[];
}

async function nodeReady(api: string): Promise<boolean> {
  const nodes = (await getJson(`${api}/api/v1/nodes`)) as Conditioned;
  return nodes.items.some((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

async function demoRunning(api: string): Promise<boolean> {
  const pods = (await getJson(
    `${api}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`,
  )) as Conditioned;
  return pods.items.length === 3 && pods.items.every((p) => p.status?.phase === 'Running');
}

/** Seconds from `since` until `check` holds (its errors — nothing listening yet — count as no). */
async function secondsUntil(
  since: number,
  check: () => Promise<boolean>,
  timeoutS = Number(flags.timeout),
): Promise<number> {
  for (;;) {
    const ok = await check().catch(() => false);
    const elapsed = (performance.now() - since) / 1000;
    if (ok) return elapsed;
    if (elapsed > timeoutS) throw new Error(`not within ${timeoutS} s`);
    await sleep(100);
  }
}

async function deleteAll(api: string): Promise<void> {
  const del = (path: string) =>
    fetch(`${api}${path}`, { method: 'DELETE' }).then((r) => r.body?.cancel());
  await del('/apis/apps/v1/namespaces/default/deployments/web?propagationPolicy=Background');
  await del('/api/v1/namespaces/default/services/web');
  await secondsUntil(
    performance.now(),
    async () => {
      await del('/api/v1/namespaces/default/pods');
      const pods = (await getJson(`${api}/api/v1/namespaces/default/pods`)) as Conditioned;
      return pods.items.length === 0;
    },
    120,
  );
}

const mb = (kb: number) => kb / 1024;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function measure(mode: 'one-process' | 'split'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `skiff-bench-up-${mode}-`));
  const port = await freePort();
  const bridge = `skb${Math.random().toString(16).slice(2, 10)}`;
  const api = `http://127.0.0.1:${port}`;
  const args = [
    'up',
    '--state-dir',
    dir,
    '--port',
    String(port),
    '--bridge',
    bridge,
    '--pod-cidr',
    await unusedPodCidr(),
    '--apply',
    demo,
    ...(mode === 'split' ? ['--split'] : []),
  ];
  const nodeFlags = flags['node-flags'].split(' ').filter((f) => f !== '');
  console.log(`\n== skiff up, ${mode}: node ${[...nodeFlags, main, ...args].join(' ')}`);
  const start = performance.now();
  const up = spawn(process.execPath, [...nodeFlags, main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  up.stdout.on('data', (d: Buffer) => (out += d.toString()));
  up.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
  const pid = up.pid;
  if (pid === undefined) throw new Error('skiff up did not start');
  try {
    const readyS = await secondsUntil(start, () => nodeReady(api));
    const runningS = await secondsUntil(start, () => demoRunning(api));
    const said = /cluster ready in ([\d.]+ m?s)/.exec(out)?.[1] ?? '?';
    // Its own steps and how long each took, where the time went.
    for (const line of out.split('\n').filter((l) => l.startsWith('•'))) console.log(`  ${line}`);
    console.log(
      `node Ready        ${fmt(readyS, 2)} s from spawn (skiff up says ${said} from its start)  target ${READY_TARGET_S} s, ratio ${fmt(readyS / READY_TARGET_S, 2)}`,
    );
    console.log(`demo pods Running ${fmt(runningS, 2)} s from spawn (3 web pods)`);
    const idleS = Number(flags.idle);
    console.log(`idle ${idleS} s with the demo running…`);
    await sleep(idleS * 1000);
    const { roles, total } = await clusterMemory(pid, dir);
    console.log('role                          procs   RSS MB   PSS MB');
    for (const r of roles) {
      console.log(
        `${r.role.padEnd(28)} ${String(r.count).padStart(6)} ${fmt(mb(r.rssKb)).padStart(8)} ${fmt(mb(r.pssKb)).padStart(8)}`,
      );
    }
    console.log(
      `${'total'.padEnd(28)} ${String(total.count).padStart(6)} ${fmt(mb(total.rssKb)).padStart(8)} ${fmt(mb(total.pssKb)).padStart(8)}`,
    );
    console.log(
      `idle RSS ${fmt(mb(total.rssKb))} MB (PSS ${fmt(mb(total.pssKb))} MB)  target ${RSS_TARGET_MB} MB, ratio ${fmt(mb(total.rssKb) / RSS_TARGET_MB, 2)}`,
    );
    await deleteAll(api);
  } finally {
    up.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.log(`skiff up exited ${code}; its output:\n${out}`);
    await removeBridgeAndRules(bridge);
    if (flags.keep) console.log(`state dir kept: ${dir}`);
    else await removeIfUnmounted(dir);
  }
}

if (process.getuid?.() !== 0) {
  console.error('pnpm bench up needs root: skiff up runs real containers');
  process.exit(1);
}
for (const mode of flags.modes.split(',')) {
  if (mode !== 'one-process' && mode !== 'split') throw new Error(`--modes: unknown mode ${mode}`);
  await measure(mode);
}
