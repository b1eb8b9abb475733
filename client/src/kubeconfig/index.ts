export type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser } from './types.js';
export { KubeconfigError, parseKubeconfig } from './parse.js';
export { mergeKubeconfigs } from './merge.js';
export { resolveCluster, resolveRestConfig, type KubeconfigOverrides } from './resolve.js';
export {
  clientFromKubeconfig,
  kubeconfigPaths,
  loadKubeconfig,
  loadRestConfig,
  type KubeconfigSource,
  type LoadOptions,
} from './load.js';
