// Seccomp for a container, from CRI's security context. `Unconfined` and privileged containers get
// no filter; `Localhost` loads a profile file in the format Docker and containerd read (the OCI
// runtime spec's `linux.seccomp`, plus Docker's `archMap` and per-syscall `includes`/`excludes`
// conditions on capabilities and architectures), so the profiles written for them work here.
// `RuntimeDefault` is the same machinery on the built-in profile in seccomp-default-profile.ts.
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

export type SeccompChoice =
  | { readonly kind: 'unconfined' }
  | { readonly kind: 'runtime-default' }
  | { readonly kind: 'localhost'; readonly path: string };

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface OciSeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls?: OciSeccompSyscall[];
}

interface SecurityProfileInput {
  /** proto-loader gives the enum by name. */
  readonly profile_type?: string | number | null;
  readonly localhost_ref?: string | null;
}

/**
 * What the security context asks for: `seccomp` when set, else the deprecated
 * `seccomp_profile_path` ("runtime/default", "docker/default", "unconfined", "localhost/<path>"),
 * else unconfined (containerd's default for an unset profile).
 */
export function seccompChoice(
  seccomp: SecurityProfileInput | null | undefined,
  deprecatedPath: string | null | undefined,
): SeccompChoice {
  if (seccomp !== null && seccomp !== undefined) {
    const type = seccomp.profile_type ?? 'RuntimeDefault';
    if (type === 'Unconfined' || type === 1) return { kind: 'unconfined' };
    if (type === 'Localhost' || type === 2) return localhost(seccomp.localhost_ref ?? '');
    return { kind: 'runtime-default' };
  }
  const path = deprecatedPath ?? '';
  if (path === '' || path === 'unconfined') return { kind: 'unconfined' };
  if (path === 'runtime/default' || path === 'docker/default') return { kind: 'runtime-default' };
  if (path.startsWith('localhost/')) return localhost(path.slice('localhost/'.length));
  throw new Error(`unknown seccomp profile ${JSON.stringify(path)}`);
}

function localhost(path: string): SeccompChoice {
  if (!isAbsolute(path)) {
    throw new Error(
      `seccomp profile ${JSON.stringify(path)}: a Localhost profile must be an absolute path`,
    );
  }
  return { kind: 'localhost', path };
}

/** The host's Go architecture name (Docker's `includes.arches`) and libseccomp's. */
const HOST_ARCH: Record<string, { go: string; seccomp: string }> = {
  x64: { go: 'amd64', seccomp: 'SCMP_ARCH_X86_64' },
  arm64: { go: 'arm64', seccomp: 'SCMP_ARCH_AARCH64' },
  ia32: { go: '386', seccomp: 'SCMP_ARCH_X86' },
  arm: { go: 'arm', seccomp: 'SCMP_ARCH_ARM' },
  s390x: { go: 's390x', seccomp: 'SCMP_ARCH_S390X' },
  ppc64: { go: 'ppc64le', seccomp: 'SCMP_ARCH_PPC64LE' },
  riscv64: { go: 'riscv64', seccomp: 'SCMP_ARCH_RISCV64' },
};

export interface ProfileConditions {
  readonly caps?: readonly string[];
  readonly arches?: readonly string[];
}

export interface ProfileSyscall extends Partial<OciSeccompSyscall> {
  readonly name?: string;
  readonly includes?: ProfileConditions;
  readonly excludes?: ProfileConditions;
}

/** A profile file as Docker and containerd read it (see the header). */
export interface SeccompProfileFile {
  readonly defaultAction?: unknown;
  readonly defaultErrnoRet?: number;
  readonly architectures?: string[];
  readonly archMap?: { architecture: string; subArchitectures?: string[] }[];
  readonly flags?: string[];
  readonly syscalls?: ProfileSyscall[];
}

/**
 * Reads a Localhost profile and resolves it for this container: the host's architectures from
 * `archMap`, and only the syscall rules whose conditions hold for the container's capabilities.
 */
export async function loadSeccompProfile(
  path: string,
  capabilities: readonly string[],
  nodeArch: string = process.arch,
): Promise<OciSeccomp> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read seccomp profile ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let profile: SeccompProfileFile;
  try {
    profile = JSON.parse(text) as SeccompProfileFile;
  } catch (err) {
    throw new Error(`seccomp profile ${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return resolveProfile(profile, path, capabilities, nodeArch);
}

export function resolveProfile(
  profile: SeccompProfileFile,
  path: string,
  capabilities: readonly string[],
  nodeArch: string,
): OciSeccomp {
  if (typeof profile.defaultAction !== 'string' || !profile.defaultAction.startsWith('SCMP_ACT_')) {
    throw new Error(`seccomp profile ${path} has no valid defaultAction`);
  }
  const host = HOST_ARCH[nodeArch];
  const held = new Set(capabilities);
  const holds = (rule: ProfileSyscall): boolean => {
    const { includes, excludes } = rule;
    if (includes?.caps !== undefined && !includes.caps.every((c) => held.has(c))) return false;
    if (includes?.arches !== undefined && !includes.arches.includes(host?.go ?? '')) return false;
    if (excludes?.caps?.some((c) => held.has(c))) return false;
    if (excludes?.arches?.includes(host?.go ?? '')) return false;
    return true;
  };
  const syscalls: OciSeccompSyscall[] = [];
  for (const [i, rule] of (profile.syscalls ?? []).entries()) {
    if (!holds(rule)) continue;
    const names = rule.names ?? (rule.name !== undefined ? [rule.name] : []);
    if (names.length === 0 || typeof rule.action !== 'string') {
      throw new Error(`seccomp profile ${path}: syscall rule ${i} needs names and an action`);
    }
    syscalls.push({
      names: [...names],
      action: rule.action,
      ...(rule.errnoRet !== undefined && { errnoRet: rule.errnoRet }),
      ...(rule.args !== undefined && rule.args.length > 0 && { args: [...rule.args] }),
    });
  }
  const mapped = profile.archMap
    ?.filter((a) => a.architecture === host?.seccomp)
    .flatMap((a) => [a.architecture, ...(a.subArchitectures ?? [])]);
  const architectures = profile.architectures ?? mapped;
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined && { defaultErrnoRet: profile.defaultErrnoRet }),
    ...(architectures !== undefined && architectures.length > 0 && { architectures }),
    ...(profile.flags !== undefined && { flags: [...profile.flags] }),
    syscalls,
  };
}
