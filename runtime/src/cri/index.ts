// Public surface of the CRI server: start it, and reach its skiff-specific import method.
export {
  DEFAULT_HEALTH_PORT,
  DEFAULT_POD_CIDR,
  startRuntimeServer,
  type RuntimeServer,
  type RuntimeServerOptions,
} from './runtime-server.js';
export { importThroughRuntime, type ImportResponse, type ImportedImage } from './import-service.js';
export { grpcCodeOf } from './grpc-status.js';
export { RUNTIME_NAME, runtimeVersion } from './version.js';
