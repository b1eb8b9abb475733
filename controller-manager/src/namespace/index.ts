export {
  KUBERNETES_FINALIZER,
  NamespaceController,
  type NamespaceControllerOptions,
} from './namespace-controller.js';
export {
  restDiscovery,
  type DiscoveredResource,
  type DiscoveryResult,
  type NamespacedResourceDiscovery,
} from './discovery.js';
export { addNamespaceController } from './register.js';
