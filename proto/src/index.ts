// Public entry of @skiff/proto: the CRI v1 wire surface (runtime.v1). It loads the proto, makes
// typed clients and service definitions, and exports every message type. No container logic.
export { criProtoPath } from './proto-file.js';
export { criLoaderOptions } from './loader-options.js';
export { loadCri, type LoadedCri } from './load.js';
export { criAddress } from './address.js';
export {
  CRI_MAX_MESSAGE_BYTES,
  newImageServiceClient,
  newRuntimeServiceClient,
} from './clients.js';
export { imageServiceDefinition, runtimeServiceDefinition } from './services.js';
export {
  unaryCall,
  type UnaryCallOptions,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
} from './unary.js';
// Messages (X for what we send, X__Output for what we receive), enums (as const objects and
// string unions), and the service client / handler / definition interfaces.
export * from './generated/types.js';
