// Original file: runtime/v1/api.proto

import type { Long } from '@grpc/proto-loader';

export interface ExecSyncRequest {
  'container_id'?: (string);
  'cmd'?: (string)[];
  /**
   * Seconds; 0 runs without a limit.
   */
  'timeout'?: (number | string | Long);
}

export interface ExecSyncRequest__Output {
  'container_id': (string);
  'cmd': (string)[];
  /**
   * Seconds; 0 runs without a limit.
   */
  'timeout': (string);
}
