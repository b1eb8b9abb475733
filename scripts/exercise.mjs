// `pnpm exercise <name>`: grade a course exercise (docs/exercises/<name>) by running its tests
// against the student's code in starter/. `--solution` (or SKIFF_EXERCISE_IMPL=solution) runs
// them against the reference solution instead — what the normal test suite always does.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

process.env.PATH = `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`;
const root = resolve('docs/exercises');
const exercises = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'impl.ts')))
  .map((d) => d.name)
  .sort();

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('-'));
const implementation = args.includes('--solution')
  ? 'solution'
  : (process.env.SKIFF_EXERCISE_IMPL ?? 'starter');
const usage = `usage: pnpm exercise <name> [--solution]\n\nexercises:\n${exercises
  .map((e) => `  ${e}   (docs/exercises/${e}/README.md)`)
  .join('\n')}\n`;

if (!name || args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
  process.exit(name ? 0 : 2);
}
if (!exercises.includes(name)) {
  process.stderr.write(`no exercise named "${name}"\n\n${usage}`);
  process.exit(2);
}
if (implementation !== 'starter' && implementation !== 'solution') {
  process.stderr.write(`SKIFF_EXERCISE_IMPL=${implementation}: expected starter or solution\n`);
  process.exit(2);
}

console.log(`grading docs/exercises/${name}/${implementation}/ …`);
const result = spawnSync('vitest', ['run', `docs/exercises/${name}/`], {
  stdio: 'inherit',
  env: { ...process.env, SKIFF_EXERCISE_IMPL: implementation },
});
if (result.status === 0) console.log(`\n${name}: every test passes against ${implementation}/.`);
else console.log(`\n${name}: not there yet — read the failures above and the README.`);
process.exit(result.status ?? 1);
