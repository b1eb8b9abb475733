// Public entry of @skiff/runtime. The CRI server: images, sandboxes, containers and pod networking on Linux.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
export {
  PodNetwork,
  IpamExhaustedError,
  SetupFailedError,
  type HostNetworkAttachment,
  type NatMode,
  type NetworkStatus,
  type PodNetworkAttachment,
  type PodNetworkOptions,
  type PodNetworkSetup,
  type SetUpOptions,
} from './network/index.js';
export {
  DEMO_IMAGE,
  PAUSE_IMAGE,
  ImageError,
  ImageStore,
  formatReference,
  imageUser,
  isImageError,
  parseReference,
  type Digest,
  type ImageErrorCode,
  type ImageFsInfo,
  type ImageInfo,
  type ImageReference,
  type ImageRuntimeConfig,
  type ImageStoreOptions,
  type ImageUser,
  type ImportOptions,
  type PullOptions,
  type RegistryAuth,
} from './images/index.js';
export {
  LinuxBackend,
  ProcessBackend,
  ContainerManager,
  RuntimeError,
  isRuntimeError,
  openRuntimeBackend,
  parseCriLog,
  type BackendChoice,
  type ExecSyncResult,
  type ImageSource,
  type LinuxBackendOptions,
  type OpenBackendOptions,
  type ProcessBackendOptions,
  type RuntimeBackend,
  type RuntimeCondition,
  type RuntimeErrorCode,
} from './containers/index.js';
export {
  SandboxManager,
  type SandboxManagerOptions,
  type SandboxNetwork,
} from './sandboxes/index.js';
export {
  checkLinuxHost,
  chooseOciRuntime,
  type HostCheck,
  type LinuxHostTools,
} from './linux/index.js';
export {
  DEFAULT_POD_CIDR,
  RUNTIME_NAME,
  grpcCodeOf,
  importThroughRuntime,
  runtimeVersion,
  startRuntimeServer,
  type ImportResponse,
  type ImportedImage,
  type RuntimeServer,
  type RuntimeServerOptions,
} from './cri/index.js';
