// A real `skiff up` cluster for end-to-end tests, as a user starts one: a temp state dir, a free
// port, a bridge and pod addresses no other cluster on the machine uses, real kubectl 1.31. What
// the cluster leaves on the host by design (its bridges and NAT rules, containers of pods not
// deleted) is removed by the test; the state dir is kept and named when the test fails.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@skiff/api/testing';
import { findKubectl } from '@skiff/apiserver/testing';
import { expect, onTestFailed } from 'vitest';
import { startSkiff, type SkiffProcess } from './skiff-process.js';

export { freePort } from '../up/free-port.js';

const run = promisify(execFile);

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

/**
 * A 10.x.y.0/24 no route of this machine uses, so the test's pods never shadow a network. With
 * `nodes` above 1, the blocks the other nodes take after it (`skiff up --nodes`) are free too.
 */
export async function unusedPodCidr(nodes = 1): Promise<string> {
  const { stdout } = await run('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (let i = 0; ; i++) {
    const second = 200 + Math.floor(Math.random() * 55);
    const third = Math.floor(Math.random() * (257 - nodes));
    const blocks = Array.from({ length: nodes }, (_, n) => `10.${second}.${third + n}.`);
    if (blocks.every((block) => !stdout.includes(block))) return `${blocks[0] ?? ''}0/24`;
    if (i > 100) throw new Error('no unused pod CIDR');
  }
}

/** What a runtime leaves on the host by design once its pods are gone: its bridge and NAT. */
export async function removeBridgeAndRules(bridge: string): Promise<void> {
  await run('ip', ['link', 'delete', 'dev', bridge]).catch((err: unknown) => {
    if (!String((err as { stderr?: unknown }).stderr).includes('Cannot find device')) throw err;
  });
  for (const table of ['nat', 'filter']) {
    const { stdout } = await run('iptables', ['-w', '-t', table, '-S']);
    for (const rule of stdout.split('\n').filter((r) => r.includes(`skiff ${bridge} `))) {
      const args = [...rule.replace(/^-A /, '-D ').matchAll(/"([^"]*)"|(\S+)/g)].map(
        (m) => m[1] ?? m[2] ?? '',
      );
      await run('iptables', ['-w', '-t', table, ...args]);
    }
  }
}

/** Keeps the state dir (logs, store) and names it if the test fails; see removeIfUnmounted. */
export async function keptOnFailureStateDir(prefix = 'skiff-up-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFailed(() => {
    console.error(`skiff up e2e failed: state dir and component logs kept in ${dir}/logs`);
  });
  return dir;
}

export async function removeIfUnmounted(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`));
  // Never rm -rf through a mount: that would delete inside a container's filesystem.
  if (mounts.length > 0) throw new Error(`still mounted, ${dir} kept: ${mounts.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
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
