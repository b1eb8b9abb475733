// Whether this host can run real containers, and with which programs. Asked once at start: the
// answer picks the backend (linux or process) and is what Status reports.
import { findExecutable } from '../network/exec.js';
import { chooseOciRuntime, type OciRuntimeChoice } from './choose-oci-runtime.js';

export interface LinuxHostTools {
  readonly conmon: string;
  readonly ociRuntime: OciRuntimeChoice;
}

export interface HostCheckOptions {
  /** conmon's name or path. Default "conmon". */
  readonly conmon?: string;
  /** crun/runc name or path; default: crun, else runc. */
  readonly ociRuntime?: string;
  readonly searchPath?: string;
}

export type HostCheck =
  | { readonly ok: true; readonly tools: LinuxHostTools }
  | { readonly ok: false; readonly reason: string };

export function checkLinuxHost(options: HostCheckOptions = {}): HostCheck {
  if (process.platform !== 'linux')
    return { ok: false, reason: `${process.platform} is not Linux` };
  if (process.getuid?.() !== 0) {
    return { ok: false, reason: 'not running as root: namespaces, cgroups and mounts need root' };
  }
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const conmon = findExecutable(options.conmon ?? 'conmon', searchPath);
  if (conmon === undefined) {
    return { ok: false, reason: 'conmon is not installed (Debian: apt-get install -y conmon)' };
  }
  for (const tool of ['mount', 'umount']) {
    if (findExecutable(tool, searchPath) === undefined) {
      return { ok: false, reason: `${tool} is not on PATH (Debian package mount)` };
    }
  }
  try {
    return {
      ok: true,
      tools: { conmon, ociRuntime: chooseOciRuntime(options.ociRuntime, searchPath) },
    };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
