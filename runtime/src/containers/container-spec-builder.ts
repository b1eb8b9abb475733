// From a CRI ContainerConfig, its image and its sandbox to the OCI spec: the decisions of
// CreateContainer that are about the process, not about records (argv, env, user, mounts,
// namespaces, limits, capabilities).
import { mkdir, stat } from 'node:fs/promises';
import type { ContainerConfig } from '@skiff/proto';
import {
  checkHostPropagation,
  containerArgs,
  containerEnv,
  containerMounts,
  containerNamespaces,
  containerSpec,
  int64,
  limitsFromCri,
  namespaceMode,
  propagation,
  resolveUser,
  rootfsPropagation,
  capabilitySets,
  loadSeccompProfile,
  resolveProfile,
  RUNTIME_DEFAULT_PROFILE,
  seccompChoice,
  type OciSeccomp,
  type OciSpec,
  type RequestedMount,
  type ResolvedUser,
  type ResourceLimits,
} from '../linux/index.js';
import type { ContainerRunner, NamespaceModeName } from '../linux/index.js';
import { RuntimeError } from './errors.js';
import type { ImageSource, SandboxContext } from './sandbox-context.js';

type ImageConfig = Awaited<ReturnType<ImageSource['configFor']>>;

export interface BuiltSpec {
  readonly spec: OciSpec;
  readonly user: ResolvedUser;
  readonly limits: ResourceLimits;
  readonly requestedMounts: RequestedMount[];
}

export async function buildContainerSpec(
  runner: ContainerRunner,
  id: string,
  rootfs: string,
  config: ContainerConfig,
  image: ImageConfig,
  sandbox: SandboxContext,
  /** The init process of the container a TARGET PID namespace names. */
  targetPid?: number,
): Promise<BuiltSpec> {
  const security = config.linux?.security_context ?? undefined;
  const privileged = security?.privileged ?? false;
  if (security?.run_as_group != null && security.run_as_user == null && !security.run_as_username) {
    // containerd's rule and words: a group alone would run as the image's user with another
    // group, which no one asked for.
    throw new RuntimeError(
      'InvalidArgument',
      `user group "${int64(security.run_as_group.value)}" is specified without user`,
    );
  }
  let user: ResolvedUser;
  try {
    user = await resolveUser(rootfs, {
      ...(security?.run_as_user != null && { uid: int64(security.run_as_user.value) }),
      ...(security?.run_as_username ? { username: security.run_as_username } : {}),
      ...(security?.run_as_group != null && { gid: int64(security.run_as_group.value) }),
      ...(image.User !== undefined && { imageUser: image.User }),
      supplementalGroups: (security?.supplemental_groups ?? []).map(int64),
      strictGroups: isStrict(security?.supplemental_groups_policy),
    });
  } catch (err) {
    throw new RuntimeError('InvalidArgument', (err as Error).message, { cause: err });
  }
  let args: string[];
  try {
    args = containerArgs({
      command: config.command ?? [],
      args: config.args ?? [],
      entrypoint: image.Entrypoint ?? [],
      cmd: image.Cmd ?? [],
    });
  } catch (err) {
    throw new RuntimeError('InvalidArgument', (err as Error).message, { cause: err });
  }
  const env = containerEnv(
    image.Env ?? [],
    (config.envs ?? []).map((e) => ({ key: e.key ?? '', value: e.value ?? '' })),
    { hostname: sandbox.hostname, home: user.home },
  );
  const requestedMounts = await requestedMountsOf(config);
  let seccomp: OciSeccomp | undefined;
  try {
    seccomp = privileged ? undefined : await seccompFor(security, runner);
  } catch (err) {
    throw new RuntimeError('InvalidArgument', (err as Error).message, { cause: err });
  }
  const limits = limitsFromCri(config.linux?.resources);
  const sandboxModes = sandbox.modes;
  const own = security?.namespace_options ?? undefined;
  const modes = {
    ...sandboxModes,
    ...(own != null && { pid: containerPidMode(sandboxModes.pid, namespaceMode(own.pid)) }),
  };
  let spec: OciSpec;
  try {
    spec = containerSpec({
      rootfs,
      readonlyRootfs: security?.readonly_rootfs ?? false,
      args,
      env,
      cwd: config.working_dir || image.WorkingDir || '/',
      terminal: config.tty === true,
      user,
      privileged,
      capabilities: {
        add: security?.capabilities?.add_capabilities ?? [],
        drop: security?.capabilities?.drop_capabilities ?? [],
        addAmbient: security?.capabilities?.add_ambient_capabilities ?? [],
      },
      lastCap: runner.lastCap,
      boundingSet: runner.boundingSet,
      noNewPrivileges: security?.no_new_privs ?? false,
      namespaces: containerNamespaces(modes, sandbox.netnsPath, sandbox.namespaceHolder, targetPid),
      mounts: containerMounts({
        privileged,
        podFiles: sandbox.podFiles,
        requested: requestedMounts,
      }),
      rootfsPropagation: rootfsPropagation(requestedMounts),
      limits,
      ownOomScoreAdj: runner.ownOomScoreAdj,
      nofileLimit: runner.nofileLimit,
      cgroupsPath: `${sandbox.cgroupParent}/${id}`,
      maskedPaths: security?.masked_paths ?? [],
      readonlyPaths: security?.readonly_paths ?? [],
      annotations: { ...(config.annotations ?? {}) },
      ...(seccomp !== undefined && { seccomp }),
    });
  } catch (err) {
    throw new RuntimeError('InvalidArgument', (err as Error).message, { cause: err });
  }
  return { spec, user, limits, requestedMounts };
}

type SecurityContext = NonNullable<NonNullable<ContainerConfig['linux']>['security_context']>;

/**
 * The container's seccomp filter: the runtime/default or a Localhost profile resolved for its
 * capabilities and this host's architecture; none for Unconfined (see linux/seccomp.ts).
 */
async function seccompFor(
  security: SecurityContext | undefined,
  runner: ContainerRunner,
): Promise<OciSeccomp | undefined> {
  const choice = seccompChoice(security?.seccomp, security?.seccomp_profile_path);
  if (choice.kind === 'unconfined') return undefined;
  const { bounding } = capabilitySets({
    privileged: false,
    add: security?.capabilities?.add_capabilities ?? [],
    drop: security?.capabilities?.drop_capabilities ?? [],
    addAmbient: security?.capabilities?.add_ambient_capabilities ?? [],
    lastCap: runner.lastCap,
    boundingSet: runner.boundingSet,
  });
  if (choice.kind === 'runtime-default') {
    return resolveProfile(RUNTIME_DEFAULT_PROFILE, 'runtime/default', bounding, process.arch);
  }
  return loadSeccompProfile(choice.path, bounding);
}

/**
 * The kubelet's bind mounts. A host path that does not exist yet is created as a directory, as
 * containerd and Docker do (an emptyDir or a hostPath DirectoryOrCreate arrives that way).
 */
async function requestedMountsOf(config: ContainerConfig): Promise<RequestedMount[]> {
  const mounts: RequestedMount[] = [];
  for (const m of config.mounts ?? []) {
    const hostPath = m.host_path ?? '';
    const containerPath = m.container_path ?? '';
    if (containerPath === '')
      throw new RuntimeError('InvalidArgument', 'a mount has no container_path');
    if (hostPath === '') {
      throw new RuntimeError(
        'InvalidArgument',
        `mount at ${containerPath} has no host_path (image volumes are not supported)`,
      );
    }
    try {
      await stat(hostPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(hostPath, { recursive: true });
    }
    const wanted = propagation(m.propagation);
    try {
      await checkHostPropagation(hostPath, wanted);
    } catch (err) {
      throw new RuntimeError('InvalidArgument', (err as Error).message, { cause: err });
    }
    mounts.push({ containerPath, hostPath, readonly: m.readonly ?? false, propagation: wanted });
  }
  return mounts;
}

function isStrict(policy: SecurityContext['supplemental_groups_policy']): boolean {
  return policy === 'Strict' || policy === 1;
}

/**
 * The container may ask for its own PID namespace in a pod that shares one, not the reverse. POD
 * (also what an unset mode means) is the pod's: the host's for a hostPID pod, and in a pod that
 * shares none (no shareProcessNamespace) there is none to join, so the container gets its own,
 * as with the kubelet's CONTAINER.
 */
function containerPidMode(pod: NamespaceModeName, asked: NamespaceModeName): NamespaceModeName {
  if (asked !== 'POD' || pod === 'POD') return asked;
  return pod === 'NODE' ? 'NODE' : 'CONTAINER';
}
