// The single place errors become responses. An ApiError carries its Status; anything else is a
// bug or an infrastructure failure — logged with its stack, answered with a 500 Status that
// does not leak internals beyond the message.
import type { ServerResponse } from 'node:http';
import { ApiError, apiErrors, errorMessage } from '@skiff/api';
import { sendStatus } from './respond.js';

export type Logger = (message: string) => void;

export function sendError(res: ServerResponse, err: unknown, log: Logger, context: string): void {
  const apiError = err instanceof ApiError ? err : apiErrors.internal(errorMessage(err));
  if (!(err instanceof ApiError)) {
    log(
      `unexpected error in ${context}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  if (res.headersSent) {
    // A stream already under way cannot change its status line; end it.
    res.end();
    return;
  }
  sendStatus(res, apiError.status);
}
