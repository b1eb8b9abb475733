// Original file: runtime/v1/api.proto

import type { PodSandboxState as _runtime_v1_PodSandboxState, PodSandboxState__Output as _runtime_v1_PodSandboxState__Output } from '../../runtime/v1/PodSandboxState.js';

/**
 * Lets a filter say "any state" by leaving the wrapper unset.
 */
export interface PodSandboxStateValue {
  'state'?: (_runtime_v1_PodSandboxState);
}

/**
 * Lets a filter say "any state" by leaving the wrapper unset.
 */
export interface PodSandboxStateValue__Output {
  'state': (_runtime_v1_PodSandboxState__Output);
}
