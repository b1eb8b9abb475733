import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name (@skiff/api, …). Point those names at each package's
// TypeScript source so the suite runs without a build and a stale dist/ can never be tested.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias = Object.fromEntries(
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${root}${d.name}/src/index.ts`))
    .map((d) => [`@skiff/${d.name}`, `${root}${d.name}/src/index.ts`]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    // docs/ keeps the tutorial's and the exercises' tests beside them (they run against the
    // reference solutions here; `pnpm exercise <name>` runs them against the starter code).
    include: ['*/src/**/*.test.ts', 'docs/tutorial/**/*.test.ts', 'docs/exercises/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
