// Original file: runtime/v1/api.proto


/**
 * The kubelet requires "RuntimeReady" and "NetworkReady"; any other type is informative.
 */
export interface RuntimeCondition {
  'type'?: (string);
  'status'?: (boolean);
  'reason'?: (string);
  'message'?: (string);
}

/**
 * The kubelet requires "RuntimeReady" and "NetworkReady"; any other type is informative.
 */
export interface RuntimeCondition__Output {
  'type': (string);
  'status': (boolean);
  'reason': (string);
  'message': (string);
}
