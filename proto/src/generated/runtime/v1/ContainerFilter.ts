// Original file: runtime/v1/api.proto

import type { ContainerStateValue as _runtime_v1_ContainerStateValue, ContainerStateValue__Output as _runtime_v1_ContainerStateValue__Output } from '../../runtime/v1/ContainerStateValue.js';

/**
 * All set fields must match (AND).
 */
export interface ContainerFilter {
  'id'?: (string);
  'state'?: (_runtime_v1_ContainerStateValue | null);
  'pod_sandbox_id'?: (string);
  /**
   * Equality matches only.
   */
  'label_selector'?: ({[key: string]: string});
}

/**
 * All set fields must match (AND).
 */
export interface ContainerFilter__Output {
  'id': (string);
  'state': (_runtime_v1_ContainerStateValue__Output | null);
  'pod_sandbox_id': (string);
  /**
   * Equality matches only.
   */
  'label_selector': ({[key: string]: string});
}
