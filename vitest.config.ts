import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name (@skiff/api, @skiff/runtime/bpf, …). Point each name a
// package exports at the TypeScript source its `exports` map names (`source`), so the suite runs
// without a build and a stale dist/ can never be tested. A package may also have a test-only entry,
// `@skiff/<pkg>/testing` → `<pkg>/src/testing.ts`. Each alias matches its whole name: a bare
// `@skiff/apiserver` alias would otherwise also catch `@skiff/apiserver/testing`.
const root = fileURLToPath(new URL('.', import.meta.url));
interface PackageJson {
  readonly exports?: Record<string, { readonly source?: string }>;
}
const entries: [name: string, file: string][] = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${root}${d.name}/package.json`))
  .flatMap((d): [string, string][] => {
    const pkg = JSON.parse(readFileSync(`${root}${d.name}/package.json`, 'utf8')) as PackageJson;
    return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]): [string, string][] =>
      target.source === undefined
        ? []
        : [[`@skiff/${d.name}${subpath.slice(1)}`, `${root}${d.name}/${target.source.slice(2)}`]],
    );
  })
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
