// Starting a supervisor (supervisor.ts) for a container of the process backend. Run from the
// TypeScript sources (tests, `--conditions=source`) it needs tsx as a loader; run from dist/ it is
// plain JavaScript.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SupervisorSpec } from './supervisor.js';

const supervisorUrl = new URL(
  `./supervisor${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

function loaderArgs(): string[] {
  if (!supervisorUrl.pathname.endsWith('.ts')) return [];
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href];
}

/** Writes the spec into `dir` and starts the supervisor, detached; resolves with its pid. */
export async function launchSupervisor(dir: string, spec: SupervisorSpec): Promise<number> {
  const specPath = join(dir, 'supervisor.json');
  await writeFile(specPath, JSON.stringify(spec));
  const child = spawn(process.execPath, [...loaderArgs(), fileURLToPath(supervisorUrl), specPath], {
    // The container's directory: a terminal's socket is bound there by a relative name (its
    // absolute path may not fit a socket address).
    cwd: dir,
    detached: true,
    stdio: 'ignore',
  });
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? 0));
    child.once('error', (err) =>
      reject(new Error(`could not start the supervisor: ${err.message}`)),
    );
  });
  child.unref();
  return pid;
}
