// Original file: runtime/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface CheckpointContainerRequest {
  'container_id'?: (string);
  /**
   * Where to write the checkpoint archive.
   */
  'location'?: (string);
  /**
   * Seconds; 0 uses the runtime's default.
   */
  'timeout'?: (number | string | Long);
}

export interface CheckpointContainerRequest__Output {
  'container_id': (string);
  /**
   * Where to write the checkpoint archive.
   */
  'location': (string);
  /**
   * Seconds; 0 uses the runtime's default.
   */
  'timeout': (string);
}
