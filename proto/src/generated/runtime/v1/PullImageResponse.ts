// Original file: runtime/v1/api.proto


export interface PullImageResponse {
  /**
   * Usually the image ID or digest.
   */
  'image_ref'?: (string);
}

export interface PullImageResponse__Output {
  /**
   * Usually the image ID or digest.
   */
  'image_ref': (string);
}
