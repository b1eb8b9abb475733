export {
  NodeLifecycleController,
  NODE_LEASE_NAMESPACE,
  type NodeLifecycleControllerOptions,
  type NodeLifecycleOptions,
} from './node-lifecycle-controller.js';
export { TaintEvictionController } from './taint-eviction-controller.js';
export { TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints.js';
export { addNodeLifecycleController } from './register.js';
