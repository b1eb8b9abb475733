// Original file: runtime/v1/api.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Distinguishes "unset" from 0.
 */
export interface UInt64Value {
  'value'?: (number | string | Long);
}

/**
 * Distinguishes "unset" from 0.
 */
export interface UInt64Value__Output {
  'value': (string);
}
