// `pnpm start`: the README's first command. Installs the Debian packages skiff's runtime uses
// (scripts/ensure-system-deps.sh), builds skiff, links the `skiff` command into
// node_modules/.bin (so `npx skiff …` works from the checkout), then runs `skiff up` with the
// demo from manifests/demo applied and waited for. Flags after `--` go to `skiff up`
// (`pnpm start -- --state-dir /tmp/skiff --port 7443`). Ctrl-C stops the cluster.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

process.env.PATH = `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`;
const root = process.getuid?.() === 0;

console.log('▶ system packages (scripts/ensure-system-deps.sh) …');
const deps = spawnSync('bash', ['scripts/ensure-system-deps.sh'], { stdio: 'inherit' });
if (deps.status !== 0) {
  if (root) process.exit(deps.status ?? 1);
  console.log('  (not root: continuing; skiff runs containers as plain processes without them)');
}

console.log('▶ building skiff (tsc -b cli/tsconfig.build.json) …');
const build = spawnSync('tsc', ['-b', 'cli/tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// npx runs a command from the project's node_modules/.bin first; the workspace root does not
// depend on @skiff/cli, so pnpm links no `skiff` there: this link does.
const main = resolve('cli/dist/main.js');
chmodSync(main, 0o755);
const link = resolve('node_modules/.bin/skiff');
mkdirSync(resolve('node_modules/.bin'), { recursive: true });
let current;
try {
  current = readlinkSync(link);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
if (current !== main) {
  rmSync(link, { force: true });
  symlinkSync(main, link);
}
console.log('▶ `npx skiff …` now runs skiff from this checkout\n');

const args = [
  'up',
  '--apply',
  'manifests/demo',
  ...process.argv.slice(2).filter((a) => a !== '--'),
];
console.log(`▶ skiff ${args.join(' ')}`);
// The node flags skiff's entry points all pass (docs/decisions/0015-small-young-generation.md).
const child = spawn(
  process.execPath,
  ['--max-semi-space-size=8', '--v8-pool-size=1', main, ...args],
  {
    stdio: 'inherit',
  },
);
// Ctrl-C reaches skiff up from the terminal itself (same process group): passing SIGINT on as
// well would be a second Ctrl-C, which makes skiff up exit without stopping cleanly.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
