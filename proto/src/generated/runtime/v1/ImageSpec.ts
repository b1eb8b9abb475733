// Original file: runtime/v1/api.proto


export interface ImageSpec {
  /**
   * An image ID, digest or reference.
   */
  'image'?: (string);
  /**
   * E.g. to pick one platform of a multi-arch image.
   */
  'annotations'?: ({[key: string]: string});
  /**
   * Upstream numbers the next two 18 and 19; keep them so.
   * The reference exactly as the user wrote it in the pod spec, when known.
   */
  'user_specified_image'?: (string);
  'runtime_handler'?: (string);
}

export interface ImageSpec__Output {
  /**
   * An image ID, digest or reference.
   */
  'image': (string);
  /**
   * E.g. to pick one platform of a multi-arch image.
   */
  'annotations': ({[key: string]: string});
  /**
   * Upstream numbers the next two 18 and 19; keep them so.
   * The reference exactly as the user wrote it in the pod spec, when known.
   */
  'user_specified_image': (string);
  'runtime_handler': (string);
}
