// The only code of the runtime, besides network/, that touches the kernel: OCI specs, overlay
// rootfs, cgroups, and driving conmon + crun/runc. Used by sandboxes/ and containers/.
export {
  checkLinuxHost,
  type HostCheck,
  type HostCheckOptions,
  type LinuxHostTools,
} from './host-check.js';
export {
  chooseOciRuntime,
  hybridCgroupProblem,
  type OciRuntimeChoice,
} from './choose-oci-runtime.js';
export {
  ContainerRunner,
  type ContainerRunnerOptions,
  type ExitFileListing,
  type ExitStatus,
} from './container-runner.js';
export { type CgroupStats, type CgroupVersion } from './cgroups.js';
export { type ContainerStdio } from './conmon.js';
export { resizeConmonTerminal } from './conmon-control.js';
export { containerSpec, type ContainerSpecInput } from './container-spec.js';
export { containerArgs, containerEnv } from './process-args.js';
export { resolveUser, type ResolvedUser, type UserRequest } from './passwd.js';
export {
  containerMounts,
  rootfsPropagation,
  type PodFiles,
  type RequestedMount,
} from './mounts-spec.js';
export {
  containerNamespaces,
  needsPauseProcess,
  pauseNamespaces,
  type NamespacePlan,
  type PodNamespaceHolder,
  type PodNamespaceModes,
} from './namespaces-spec.js';
export {
  canPinNamespaces,
  pinNamespaces,
  readNetDevIn,
  unpinNamespaces,
  type PinnedNamespaces,
} from './namespace-pins.js';
export { limitsFromCri, ociResources, type ResourceLimits } from './resources-spec.js';
export { preparePodFiles, releasePodFiles, podFilePaths, type PodFilesInput } from './pod-files.js';
export { unmountIfMounted } from './overlay.js';
export { mountPoints } from './mountinfo.js';
export { checkHostPropagation } from './mount-propagation.js';
export { checkPodSysctls } from './sysctls.js';
export {
  int64,
  namespaceMode,
  propagation,
  stringMap,
  type Int64Like,
  type NamespaceModeName,
  type PropagationName,
} from './cri-values.js';
export type { OciSpec, OciResources } from './oci-spec.js';
export { RUNTIME_DEFAULT_PROFILE } from './seccomp-default-profile.js';
export {
  loadSeccompProfile,
  resolveProfile,
  seccompChoice,
  type OciSeccomp,
  type SeccompChoice,
} from './seccomp.js';
export { capabilitySets } from './capabilities.js';
