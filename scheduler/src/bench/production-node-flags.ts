// The node flags skiff's processes run with in production, read from where production takes
// them: the `skiff` bin's shebang (`#!/usr/bin/env -S node --max-semi-space-size=8 …`,
// decisions 0015 and 0022). The benchmark runs both of its processes with them — the scheduler
// (this process, re-run under them) and the apiserver child — because the young generation's
// size changes how often the scheduler's garbage collector runs, and a figure taken with node's
// defaults is not the figure of `skiff scheduler`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SKIFF_MAIN = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));

/** The flags after `node` in the `skiff` bin's shebang line. */
export function productionNodeFlags(): string[] {
  const [first = ''] = readFileSync(SKIFF_MAIN, 'utf8').split('\n', 1);
  const match = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  if (!match)
    throw new Error(`${SKIFF_MAIN}: no "#!/usr/bin/env -S node …" line to take the flags from`);
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/**
 * Re-runs this script under the production flags unless node already has them, and exits with
 * the child's status. Returns (without doing anything) in a process that runs with them.
 */
export function reexecWithProductionFlags(): void {
  const flags = productionNodeFlags();
  if (flags.every((f) => process.execArgv.includes(f))) return;
  const script = process.argv[1];
  if (!script) throw new Error('no script path to re-run');
  const result = spawnSync(
    process.execPath,
    [...flags, ...process.execArgv, script, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
