// Original file: runtime/v1/api.proto


export interface ExecSyncResponse {
  /**
   * Runtimes cap each stream at 16 MiB and drop the rest.
   */
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'exit_code'?: (number);
}

export interface ExecSyncResponse__Output {
  /**
   * Runtimes cap each stream at 16 MiB and drop the rest.
   */
  'stdout': (Buffer);
  'stderr': (Buffer);
  'exit_code': (number);
}
