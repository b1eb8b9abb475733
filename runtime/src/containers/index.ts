// Public surface of the container side: the backend interface the CRI layer calls, its two
// implementations and how one is chosen, and the managers for code that wants them directly.
export type { RuntimeBackend, RuntimeCondition } from './backend.js';
export { openRuntimeBackend, type BackendChoice, type OpenBackendOptions } from './open-backend.js';
export { LinuxBackend, type LinuxBackendOptions } from './linux-backend.js';
export { ProcessBackend, type ProcessBackendOptions } from './process/process-backend.js';
export { connectTerminal, type TerminalConnection } from './process/terminal-socket.js';
export {
  ContainerManager,
  type ContainerManagerOptions,
  type ExecSyncResult,
} from './container-manager.js';
export type { ImageSource, SandboxContext } from './sandbox-context.js';
export { RuntimeError, isRuntimeError, type RuntimeErrorCode } from './errors.js';
export { parseCriLog } from '@skiff/api';
