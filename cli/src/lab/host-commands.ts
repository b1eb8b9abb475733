// The host's iproute2, run the way the lab needs it: a failure throws with the command and its
// stderr, and "already gone" can be told apart where removing is idempotent.
import { execFileSync, spawnSync } from 'node:child_process';

export function run(argv: readonly string[]): string {
  const [file = '', ...args] = argv;
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.error !== undefined) throw new Error(`${argv.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** `argv` inside network namespace `netns` (only the network namespace: mounts stay the host's). */
export function inNetns(netns: string, argv: readonly string[]): string[] {
  return ['nsenter', `--net=/run/netns/${netns}`, '--', ...argv];
}

export function netnsExists(netns: string): boolean {
  return spawnSync('ip', ['netns', 'pids', netns], { stdio: 'ignore' }).status === 0;
}

export function linkExists(name: string): boolean {
  return spawnSync('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' }).status === 0;
}

/** Every process whose network namespace is `netns` (none when it does not exist). */
export function pidsInNetns(netns: string): number[] {
  const result = spawnSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  return result.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

/** The destinations of the host's IPv4 routes, in every table ("default" included). */
export function hostRouteDestinations(): string[] {
  const routes = JSON.parse(
    execFileSync('ip', ['-j', '-4', 'route', 'show', 'table', 'all']).toString(),
  ) as {
    dst?: string;
  }[];
  return routes.map((r) => r.dst ?? 'default');
}
