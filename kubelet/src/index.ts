// Public entry of @skiff/kubelet: the node agent. `Kubelet.start(options)` registers the Node,
// keeps its status and Lease, and runs the pods bound to it through a CRI runtime.
export { Kubelet, type KubeletOptions } from './kubelet.js';
export { RemoteCri, socketPathOf, type Cri } from './cri/index.js';
export { parseNodeLabels, parseTaints } from './node/labels-and-taints.js';
export {
  decodeKubeletConfiguration,
  KubeletConfigurationError,
  KUBELET_CONFIG_API_VERSION,
  KUBELET_CONFIG_KIND,
  validateImageGCThresholds,
  type KubeletConfiguration,
} from './config/kubelet-configuration.js';
export {
  DEFAULT_EVICTION_HARD,
  parseGracePeriodFlag,
  parseMinimumReclaimFlag,
  parseThresholdFlag,
  parseThresholds,
  type Threshold,
} from './eviction/thresholds.js';
