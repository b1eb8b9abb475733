// The whole test suite: type-check, lint, format check, then every vitest test against real
// parts (etcd, processes, files). Prints the closing line `N passed, M failed` that CI reads and
// exits non-zero if anything failed. Under CI=true a skipped test counts as a failure: nothing the
// suite needs may be silently skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

// Run the workspace's own tools (tsc, eslint, prettier, vitest) directly, not through npx.
process.env.PATH = `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`;
const ci = process.env.CI === 'true' || process.env.CI === '1';
const failures = [];

function step(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) failures.push(`${name} (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

step('system packages', 'bash', ['scripts/ensure-system-deps.sh']);
step('type-check', 'tsc', ['-b']);
step('lint', 'eslint', ['.']);
step('format', 'prettier', ['--check', '.', '--log-level', 'warn']);

const reportFile = join(mkdtempSync(join(tmpdir(), 'skiff-vitest-')), 'report.json');
const vitestArgs = [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
];
step('tests', 'vitest', [...vitestArgs, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests to count; count it as a failure so it can't hide.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
} catch (err) {
  failures.push(`reading the vitest report ${reportFile}: ${err.message}`);
}
if (ci && skipped > 0)
  failures.push(`${skipped} skipped test(s): under CI=true nothing may be skipped`);
if (passed + failed === 0) failures.push('no test ran');

if (failures.length > 0)
  console.log(`\nFailed steps:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
