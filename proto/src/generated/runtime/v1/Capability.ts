// Original file: runtime/v1/api.proto


export interface Capability {
  /**
   * Added to every set but the ambient one.
   */
  'add_capabilities'?: (string)[];
  /**
   * Dropped from every set.
   */
  'drop_capabilities'?: (string)[];
  /**
   * Added to every set, ambient included.
   */
  'add_ambient_capabilities'?: (string)[];
}

export interface Capability__Output {
  /**
   * Added to every set but the ambient one.
   */
  'add_capabilities': (string)[];
  /**
   * Dropped from every set.
   */
  'drop_capabilities': (string)[];
  /**
   * Added to every set, ambient included.
   */
  'add_ambient_capabilities': (string)[];
}
