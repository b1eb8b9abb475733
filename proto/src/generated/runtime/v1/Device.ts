// Original file: runtime/v1/api.proto


export interface Device {
  'container_path'?: (string);
  'host_path'?: (string);
  /**
   * Any of "r", "w", "m" (cgroup device permissions).
   */
  'permissions'?: (string);
}

export interface Device__Output {
  'container_path': (string);
  'host_path': (string);
  /**
   * Any of "r", "w", "m" (cgroup device permissions).
   */
  'permissions': (string);
}
