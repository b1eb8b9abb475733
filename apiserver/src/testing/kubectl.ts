// Real kubectl for compatibility tests: kubectl is the client the API must satisfy, so a test that
// cannot find it must not pass silently in CI. Locally a missing kubectl skips (the caller uses
// `describe.skipIf(kubectl === undefined)`); under CI=true findKubectl throws, failing the file.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from './find-on-path.js';

const run = promisify(execFile);

/** The kubectl binary on PATH; undefined if absent, an error instead when `env.CI` is `true`. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = findOnPath('kubectl', env.PATH ?? '');
  if (found === undefined && env.CI === 'true')
    throw new Error(`kubectl is required under CI=true, and is not on PATH (${env.PATH ?? ''})`);
  return found;
}

/** Which cluster kubectl talks to: a bare server URL, or everything a kubeconfig file says. */
export type KubectlTarget = { readonly server: string } | { readonly kubeconfig: string };

/** Runs kubectl with its arguments; resolves with stdout, rejects (stderr in the message) on failure. */
export type Kubectl = (...args: string[]) => Promise<string>;

/**
 * kubectl aimed at `target`, with `home` as its HOME (discovery cache, no user kubeconfig): a
 * developer's own ~/.kube/config must not change what a test sees.
 */
export function kubectlAt(binary: string, target: KubectlTarget, home: string): Kubectl {
  const targetFlags =
    'server' in target ? ['--server', target.server] : ['--kubeconfig', target.kubeconfig];
  const env = { ...process.env, KUBECONFIG: join(home, 'no-kubeconfig'), HOME: home };
  return async (...args) => {
    const { stdout } = await run(binary, [...targetFlags, ...args], { env, timeout: 30_000 });
    return stdout;
  };
}
