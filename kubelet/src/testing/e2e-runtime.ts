// The CRI runtimes the kubelet's end-to-end tests run on — skiff runtime and containerd 1.6, as
// the kubelet issue asks ("passes on both runtimes") — behind one shape: a CRI client, the
// kubelet's root dir (volumes, pod logs, static pod manifests, test files), and a stop that
// removes what was made. Each e2e file runs its cases once per runtime, like the runtime's CRI
// suite (describe.each over E2E_RUNTIMES); outside CI an unavailable runtime is skipped with a
// warning, under CI=true it is not skipped, so its first hook fails with what is missing.
import { containerdUnavailable } from '@skiff/runtime/testing';
import { beforeEach } from 'vitest';
import type { RemoteCri } from '../cri/index.js';
import { startContainerd } from './containerd-process.js';
import { realRuntimeUnavailable, startSkiffRuntime } from './skiff-runtime-process.js';

export type E2eRuntimeName = 'skiff' | 'containerd';

export interface E2eRuntime {
  readonly name: E2eRuntimeName;
  /** `unix://…`, as --container-runtime-endpoint takes it. */
  readonly endpoint: string;
  /** A temp dir for the kubelet's root and the test's own files; removed on stop. */
  readonly dir: string;
  readonly cri: RemoteCri;
  /** The runtime's output so far. */
  log(): Promise<string>;
  /** Removes every pod, stops the runtime, cleans the host; throws with what was left. */
  stop(): Promise<void>;
}

export const E2E_RUNTIMES: readonly E2eRuntimeName[] = ['skiff', 'containerd'];

/** Why `name` cannot run here, or undefined. */
export function e2eRuntimeUnavailable(name: E2eRuntimeName): string | undefined {
  // Both need the test images, which are built from the host's static busybox.
  const base = realRuntimeUnavailable();
  if (name === 'skiff' || base !== undefined) return base;
  return containerdUnavailable();
}

/** Starts `name`; rejects with what is missing when it cannot run here (a CI failure). */
export function startE2eRuntime(name: E2eRuntimeName): Promise<E2eRuntime> {
  const why = e2eRuntimeUnavailable(name);
  if (why !== undefined) return Promise.reject(new Error(`${why}; CI must provide it`));
  return name === 'skiff' ? startSkiffRuntime() : startContainerd();
}

const ci = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether `suite` skips `name` here: only outside CI, with a warning, and then every test of the
 * calling describe is skipped. Under CI=true it never skips, and the suite's first hook fails
 * with what is missing (startE2eRuntime), so CI cannot pass untested.
 */
export function skipE2eRuntime(name: E2eRuntimeName, suite: string): boolean {
  const why = e2eRuntimeUnavailable(name);
  if (why === undefined || ci) return false;
  console.warn(`skipping ${suite} on ${name}: ${why}`);
  beforeEach((ctx) => ctx.skip(`${name} is unavailable here: ${why}`));
  return true;
}
