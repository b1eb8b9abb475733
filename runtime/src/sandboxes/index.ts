// Public surface of the pod sandbox side.
export {
  SandboxManager,
  type SandboxManagerOptions,
  type SandboxNetwork,
} from './sandbox-manager.js';
