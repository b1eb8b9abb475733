// Original file: runtime/v1/api.proto

import type { PodSandboxStateValue as _runtime_v1_PodSandboxStateValue, PodSandboxStateValue__Output as _runtime_v1_PodSandboxStateValue__Output } from '../../runtime/v1/PodSandboxStateValue.js';

/**
 * All set fields must match (AND).
 */
export interface PodSandboxFilter {
  'id'?: (string);
  'state'?: (_runtime_v1_PodSandboxStateValue | null);
  /**
   * Equality matches only.
   */
  'label_selector'?: ({[key: string]: string});
}

/**
 * All set fields must match (AND).
 */
export interface PodSandboxFilter__Output {
  'id': (string);
  'state': (_runtime_v1_PodSandboxStateValue__Output | null);
  /**
   * Equality matches only.
   */
  'label_selector': ({[key: string]: string});
}
