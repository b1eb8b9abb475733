import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name (@skiff/api, …). Point those names at each package's
// TypeScript source so the suite runs without a build and a stale dist/ can never be tested.
// A package may also have a test-only entry, `@skiff/<pkg>/testing` → `<pkg>/src/testing.ts`.
// Each alias matches its whole name: a bare `@skiff/apiserver` alias would otherwise also catch
// `@skiff/apiserver/testing` and point it inside index.ts.
const root = fileURLToPath(new URL('.', import.meta.url));
const entries: [name: string, file: string][] = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d): [string, string][] => [
    [`@skiff/${d.name}`, `${root}${d.name}/src/index.ts`],
    [`@skiff/${d.name}/testing`, `${root}${d.name}/src/testing.ts`],
  ])
  .filter(([, file]) => existsSync(file));
// Package folder names are plain words and dashes, safe inside a RegExp as they are.
const alias = entries.map(([name, file]) => ({ find: new RegExp(`^${name}$`), replacement: file }));

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
