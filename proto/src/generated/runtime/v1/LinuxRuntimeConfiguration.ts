// Original file: runtime/v1/api.proto

import type { CgroupDriver as _runtime_v1_CgroupDriver, CgroupDriver__Output as _runtime_v1_CgroupDriver__Output } from '../../runtime/v1/CgroupDriver.js';

export interface LinuxRuntimeConfiguration {
  /**
   * Fixed for the kubelet's lifetime: changing it needs a node drain and kubelet restart.
   */
  'cgroup_driver'?: (_runtime_v1_CgroupDriver);
}

export interface LinuxRuntimeConfiguration__Output {
  /**
   * Fixed for the kubelet's lifetime: changing it needs a node drain and kubelet restart.
   */
  'cgroup_driver': (_runtime_v1_CgroupDriver__Output);
}
