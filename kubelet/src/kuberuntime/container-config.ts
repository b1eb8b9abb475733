// The CRI ContainerConfig of one container of a pod (Kubernetes' generateContainerConfig):
// command and args with `$(VAR)` expanded against the container's environment, the environment
// itself, working dir, resources, security context, labels that tie it to the pod, and the hash
// and restart count the next sync reads back.
import type { Container, Pod } from '@skiff/api';
import type { ContainerConfig, LinuxContainerSecurityContext, Mount } from '@skiff/proto';
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_RESTART_COUNT_ANNOTATION,
  TERMINATION_GRACE_PERIOD_ANNOTATION,
  TERMINATION_MESSAGE_PATH_ANNOTATION,
  containerLabels,
} from '../container/index.js';
import type { QOSClass } from '../qos/index.js';
import { containerHash } from './container-hash.js';
import { linuxContainerResources } from './container-resources.js';
import { ContainerConfigError, type EnvVarValue } from './env.js';
import { expand } from './expansion.js';
import { namespaceOptions, podRefOfPod } from './sandbox-config.js';

export interface ContainerConfigInput {
  readonly pod: Readonly<Pod>;
  readonly container: Readonly<Container>;
  readonly restartCount: number;
  /** The image reference to run (the image ID the runtime resolved). */
  readonly imageRef: string;
  /** The image's user id, if the image names a numeric one (for runAsNonRoot). */
  readonly imageUid: number | undefined;
  readonly env: readonly EnvVarValue[];
  readonly qos: QOSClass;
  readonly nodeMemoryCapacityBytes: number;
  /** The container's volume mounts, resolved on the node. */
  readonly mounts: readonly Mount[];
}

/** `$(VAR)` in command and args, against the container's own environment. */
export function expandCommand(
  words: readonly string[] | undefined,
  env: readonly EnvVarValue[],
): string[] {
  const vars = new Map(env.map((e) => [e.name, e.value]));
  return (words ?? []).map((w) => expand(w, (name) => vars.get(name)));
}

function securityContext(
  pod: Readonly<Pod>,
  container: Readonly<Container>,
  imageUid: number | undefined,
): LinuxContainerSecurityContext {
  const podSc = pod.spec.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? podSc.runAsGroup;
  const ref = podRefOfPod(pod);
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) === true) {
    // Kubernetes' verifyRunAsNonRoot, with its messages.
    const where = `(pod: "${ref.name}_${ref.namespace}(${ref.uid})", container: ${container.name})`;
    if (runAsUser === 0) {
      throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    }
    if (runAsUser === undefined && (imageUid === undefined || imageUid === 0)) {
      throw new ContainerConfigError(
        imageUid === 0
          ? `container has runAsNonRoot and image will run as root ${where}`
          : `container has runAsNonRoot and image has non-numeric user, cannot verify user is non-root ${where}`,
      );
    }
  }
  return {
    privileged: sc.privileged === true,
    capabilities: {
      add_capabilities: sc.capabilities?.add ?? [],
      drop_capabilities: sc.capabilities?.drop ?? [],
    },
    namespace_options: namespaceOptions(pod),
    ...(runAsUser !== undefined && { run_as_user: { value: runAsUser } }),
    ...(runAsGroup !== undefined && { run_as_group: { value: runAsGroup } }),
    supplemental_groups: [
      ...(podSc.supplementalGroups ?? []),
      ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []),
    ],
    readonly_rootfs: sc.readOnlyRootFilesystem === true,
    // allowPrivilegeEscalation: false is what sets no_new_privs; unset leaves it off.
    no_new_privs: sc.allowPrivilegeEscalation === false,
  };
}

export function generateContainerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container, restartCount, env } = input;
  const ref = podRefOfPod(pod);
  return {
    metadata: { name: container.name, attempt: restartCount },
    image: { image: input.imageRef },
    command: expandCommand(container.command, env),
    args: expandCommand(container.args, env),
    working_dir: container.workingDir ?? '',
    envs: env.map((e) => ({ key: e.name, value: e.value })),
    mounts: [...input.mounts],
    labels: containerLabels(ref, container.name),
    annotations: {
      [CONTAINER_HASH_ANNOTATION]: containerHash(container),
      [CONTAINER_RESTART_COUNT_ANNOTATION]: String(restartCount),
      [TERMINATION_GRACE_PERIOD_ANNOTATION]: String(pod.spec.terminationGracePeriodSeconds ?? 30),
      ...(container.terminationMessagePath !== undefined &&
        container.terminationMessagePath !== '' && {
          [TERMINATION_MESSAGE_PATH_ANNOTATION]: container.terminationMessagePath,
        }),
    },
    log_path: `${container.name}/${restartCount}.log`,
    stdin: container.stdin === true,
    stdin_once: container.stdinOnce === true,
    tty: container.tty === true,
    linux: {
      resources: linuxContainerResources(container, input.qos, input.nodeMemoryCapacityBytes),
      security_context: securityContext(pod, container, input.imageUid),
    },
  };
}
