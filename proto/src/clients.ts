import * as grpc from '@grpc/grpc-js';
import { criAddress } from './address.js';
import type { ImageServiceClient } from './generated/runtime/v1/ImageService.js';
import type { RuntimeServiceClient } from './generated/runtime/v1/RuntimeService.js';
import { loadCri } from './load.js';

// The kubelet's CRI client allows 16 MiB messages (ExecSync output and big ListContainers replies
// need it); grpc-js would otherwise reject anything over 4 MiB.
export const CRI_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

// Reconnecting as Kubernetes' cri-client does (base delay 100 ms, at most 3 s): the runtime is a
// socket on this node, cheap to dial, so a runtime that starts or restarts is found within
// seconds. grpc's own backoff grows to 120 s: a runtime that took half a minute to come up
// (a busy node) would then wait for a redial long after it serves.
const channelOptions: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': CRI_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': CRI_MAX_MESSAGE_BYTES,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 3_000,
};

/** A runtime.v1.RuntimeService client on a unix socket (a path or a unix: endpoint). */
export function newRuntimeServiceClient(socket: string): RuntimeServiceClient {
  const { RuntimeService } = loadCri().grpcObject.runtime.v1;
  // A local unix socket: no TLS, as with every CRI runtime.
  return new RuntimeService(criAddress(socket), grpc.credentials.createInsecure(), channelOptions);
}

/** A runtime.v1.ImageService client on a unix socket (a path or a unix: endpoint). */
export function newImageServiceClient(socket: string): ImageServiceClient {
  const { ImageService } = loadCri().grpcObject.runtime.v1;
  return new ImageService(criAddress(socket), grpc.credentials.createInsecure(), channelOptions);
}
