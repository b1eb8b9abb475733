// Original file: runtime/v1/api.proto


/**
 * Note the order differs from ExecRequest: stdin comes before tty here.
 */
export interface AttachRequest {
  'container_id'?: (string);
  'stdin'?: (boolean);
  'tty'?: (boolean);
  'stdout'?: (boolean);
  'stderr'?: (boolean);
}

/**
 * Note the order differs from ExecRequest: stdin comes before tty here.
 */
export interface AttachRequest__Output {
  'container_id': (string);
  'stdin': (boolean);
  'tty': (boolean);
  'stdout': (boolean);
  'stderr': (boolean);
}
