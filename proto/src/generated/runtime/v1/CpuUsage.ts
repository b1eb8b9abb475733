// Original file: runtime/v1/api.proto

import type { UInt64Value as _runtime_v1_UInt64Value, UInt64Value__Output as _runtime_v1_UInt64Value__Output } from '../../runtime/v1/UInt64Value.js';
import type { Long } from '@grpc/proto-loader';

export interface CpuUsage {
  'timestamp'?: (number | string | Long);
  /**
   * Cumulative, all cores.
   */
  'usage_core_nano_seconds'?: (_runtime_v1_UInt64Value | null);
  /**
   * Averaged over the sample window: core-nanoseconds per second.
   */
  'usage_nano_cores'?: (_runtime_v1_UInt64Value | null);
}

export interface CpuUsage__Output {
  'timestamp': (string);
  /**
   * Cumulative, all cores.
   */
  'usage_core_nano_seconds': (_runtime_v1_UInt64Value__Output | null);
  /**
   * Averaged over the sample window: core-nanoseconds per second.
   */
  'usage_nano_cores': (_runtime_v1_UInt64Value__Output | null);
}
