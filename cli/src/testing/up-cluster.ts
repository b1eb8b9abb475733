// A real `skiff up` cluster for end-to-end tests, as a user starts one: a temp state dir, a free
// port, a bridge and pod addresses no other cluster on the machine uses, real kubectl 1.31. What
// the cluster leaves on the host by design (its bridges and NAT rules, containers of pods not
// deleted) is removed by the test; the state dir is kept and named when the test fails.
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { eventually } from '@skiff/api/testing';
import { findKubectl } from '@skiff/apiserver/testing';
import { expect, onTestFailed } from 'vitest';
import { startSkiff, type SkiffProcess } from './skiff-process.js';

export { freePort } from '../up/free-port.js';
export { removeBridgeAndRules, removeIfUnmounted, unusedPodCidr } from './host-network.js';

/** kubectl 1.31 (the version skiff reports) beside the kubectl dispatcher on PATH, if installed. */
export function kubectl131(): string | undefined {
  const dispatcher = findKubectl();
  if (dispatcher === undefined) return undefined;
  const binary = join(dirname(realpathSync(dispatcher)), 'kubectl.1.31');
  return existsSync(binary) ? binary : undefined;
}

/** Why a real cluster cannot run here, or undefined when it can. */
export function realClusterUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'real containers need root';
  if (kubectl131() === undefined) return 'kubectl.1.31 is not installed beside kubectl';
  for (const tool of ['/usr/bin/conmon', '/bin/busybox']) {
    if (!existsSync(tool)) return `missing ${tool} (scripts/ensure-system-deps.sh installs it)`;
  }
  return undefined;
}

/** Keeps the state dir (logs, store) and names it if the test fails; see removeIfUnmounted. */
export async function keptOnFailureStateDir(prefix = 'skiff-up-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFailed(() => {
    console.error(`skiff up e2e failed: state dir and component logs kept in ${dir}/logs`);
  });
  return dir;
}

/** Waits until `skiff up` says the cluster is ready; fails at once if it exits instead. */
export async function untilClusterReady(up: SkiffProcess): Promise<void> {
  let exitCode: number | null | undefined;
  void up.exit.then((code) => (exitCode = code));
  const outcome = await eventually(
    'skiff up to report the nodes Ready',
    () => {
      if (/skiff up: cluster ready/.test(up.output())) return 'ready';
      return exitCode !== undefined && `skiff up exited (${String(exitCode)})`;
    },
    { timeoutMs: 240_000, intervalMs: 500 },
  );
  if (outcome !== 'ready') throw new Error(outcome);
}

/** Starts `skiff up` for one test and waits until it is ready; its output shows on failure. */
export async function startUp(args: readonly string[]): Promise<SkiffProcess> {
  const up = startSkiff(['up', ...args]);
  onTestFailed(() => {
    console.error(`skiff up ${args.join(' ')}\nstdout:\n${up.output()}\nstderr:\n${up.errors()}`);
  });
  await untilClusterReady(up);
  return up;
}

/** SIGTERM, as Ctrl-C would: skiff up stops every component and exits 0. */
export async function stopUp(up: SkiffProcess): Promise<void> {
  up.kill('SIGTERM');
  expect(await up.exit).toBe(0);
  expect(up.output()).toContain('skiff up: stopped');
}
