// Original file: runtime/v1/api.proto


export interface VersionRequest {
  /**
   * The kubelet's CRI API version.
   */
  'version'?: (string);
}

export interface VersionRequest__Output {
  /**
   * The kubelet's CRI API version.
   */
  'version': (string);
}
