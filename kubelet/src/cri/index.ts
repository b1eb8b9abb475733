export { socketPathOf } from './endpoint.js';
export { RemoteCri } from './remote-cri.js';
export { rpcErrorText, rpcStatusOf } from './rpc-error.js';
export type {
  Cri,
  ExecSyncResult,
  ImageGcService,
  ImageService,
  RuntimeService,
} from './runtime-service.js';
export type { StreamingService, StreamRequest } from './streaming-service.js';
