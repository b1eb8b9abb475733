// Original file: runtime/v1/api.proto

import type { ContainerState as _runtime_v1_ContainerState, ContainerState__Output as _runtime_v1_ContainerState__Output } from '../../runtime/v1/ContainerState.js';

/**
 * Lets a filter say "any state" by leaving the wrapper unset.
 */
export interface ContainerStateValue {
  'state'?: (_runtime_v1_ContainerState);
}

/**
 * Lets a filter say "any state" by leaving the wrapper unset.
 */
export interface ContainerStateValue__Output {
  'state': (_runtime_v1_ContainerState__Output);
}
