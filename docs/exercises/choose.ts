// Which implementation an exercise's tests exercise. `pnpm exercise <name>` sets
// SKIFF_EXERCISE_IMPL=starter to grade the student's code; everything else (the normal test run,
// CI, `pnpm exercise <name> --solution`) tests the reference solution, so the solutions are
// checked on every run and the starters — which fail by design — never break the suite.
export type Implementation = 'starter' | 'solution';

export const IMPLEMENTATION_ENV = 'SKIFF_EXERCISE_IMPL';

export function chosenImplementation(env: NodeJS.ProcessEnv = process.env): Implementation {
  const value = env[IMPLEMENTATION_ENV] ?? 'solution';
  if (value === 'starter' || value === 'solution') return value;
  throw new Error(`${IMPLEMENTATION_ENV}=${value}: expected "starter" or "solution"`);
}

/** The chosen module; typed by the solution so a starter must export the same things. */
export function choose<T>(modules: { readonly starter: T; readonly solution: T }): T {
  return modules[chosenImplementation()];
}
