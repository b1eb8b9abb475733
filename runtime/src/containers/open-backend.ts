// Picks the backend: real Linux containers when this host can run them (root, conmon, crun or
// runc), plain processes otherwise, and says why. `backend: 'linux'` insists (and fails with the
// reason), `backend: 'process'` forces the fallback even where containers would work.
import { checkLinuxHost, type HostCheckOptions } from '../linux/index.js';
import type { RuntimeBackend } from './backend.js';
import { LinuxBackend, type LinuxBackendOptions } from './linux-backend.js';
import { ProcessBackend } from './process/process-backend.js';

export type BackendChoice = 'auto' | 'linux' | 'process';

export interface OpenBackendOptions extends Omit<LinuxBackendOptions, 'tools'>, HostCheckOptions {
  readonly backend?: BackendChoice;
}

export async function openRuntimeBackend(options: OpenBackendOptions): Promise<RuntimeBackend> {
  const choice = options.backend ?? 'auto';
  const clock = options.clock !== undefined ? { clock: options.clock } : {};
  if (choice === 'process') {
    return ProcessBackend.open({
      root: options.root,
      images: options.images,
      reason: 'chosen with the process backend flag',
      ...clock,
    });
  }
  const host = checkLinuxHost(options);
  if (host.ok) return LinuxBackend.open({ ...options, tools: host.tools });
  if (choice === 'linux') throw new Error(`cannot run Linux containers here: ${host.reason}`);
  (options.log ?? console.warn)(
    `running containers as plain processes, without isolation: ${host.reason}`,
  );
  return ProcessBackend.open({
    root: options.root,
    images: options.images,
    reason: host.reason,
    ...clock,
  });
}
