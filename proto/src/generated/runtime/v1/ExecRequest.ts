// Original file: runtime/v1/api.proto


export interface ExecRequest {
  'container_id'?: (string);
  'cmd'?: (string)[];
  'tty'?: (boolean);
  /**
   * At least one of stdin/stdout/stderr; with tty, stderr must be false.
   */
  'stdin'?: (boolean);
  'stdout'?: (boolean);
  'stderr'?: (boolean);
}

export interface ExecRequest__Output {
  'container_id': (string);
  'cmd': (string)[];
  'tty': (boolean);
  /**
   * At least one of stdin/stdout/stderr; with tty, stderr must be false.
   */
  'stdin': (boolean);
  'stdout': (boolean);
  'stderr': (boolean);
}
