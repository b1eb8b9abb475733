// Original file: runtime/v1/api.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Distinguishes "unset" from 0 (e.g. run_as_user root).
 */
export interface Int64Value {
  'value'?: (number | string | Long);
}

/**
 * Distinguishes "unset" from 0 (e.g. run_as_user root).
 */
export interface Int64Value__Output {
  'value': (string);
}
