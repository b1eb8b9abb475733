// How a verb reports failure, in kubectl's words (its cmdutil.CheckErr): the server's Status as
// `Error from server (Reason): message`, an Invalid with one line per field at fault, anything
// else as `error: message`; all exit 1. Never a stack trace: the Status message is the answer.
import { ApiError, errorMessage } from '@skiff/api';

/** A failure the user can act on, already worded; exits with `code`. */
export class UsageError extends Error {
  constructor(
    message: string,
    options?: { cause?: unknown },
    readonly code = 1,
  ) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** What was being done with an object from a file, for `error when creating "x.yaml": …`. */
export interface ErrorContext {
  readonly doing: 'creating' | 'deleting' | 'applying';
  readonly source: string;
}

/** The text kubectl prints for err, ending in a newline. */
export function kubectlErrorText(err: unknown, context?: ErrorContext): string {
  if (err instanceof ApiError) {
    const text = apiErrorText(err);
    const colon = text.indexOf(': ');
    if (!context || colon < 0 || !text.startsWith('Error from server')) return text;
    return `${text.slice(0, colon + 2)}error when ${context.doing} "${context.source}": ${text.slice(colon + 2)}`;
  }
  if (err instanceof UsageError) return `${err.message}\n`;
  const message = errorMessage(err);
  return `${message.startsWith('error: ') ? message : `error: ${message}`}\n`;
}

function apiErrorText(err: ApiError): string {
  const details = err.status.details;
  if (err.reason === 'Invalid' && details?.causes && details.causes.length > 0) {
    const prefix =
      details.kind !== undefined
        ? `The ${details.kind} "${details.name ?? ''}" is invalid: `
        : 'The request is invalid: ';
    const lines = details.causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
    if (lines.length === 1) return `${prefix}${lines[0] ?? ''}\n`;
    return `${prefix}\n${lines.map((l) => `* ${l}\n`).join('')}`;
  }
  if (err.reason === 'Unauthorized')
    return `error: You must be logged in to the server (${err.message})\n`;
  if (err.reason) return `Error from server (${err.reason}): ${err.message}\n`;
  return `Error from server: ${err.message}\n`;
}

/** Prints err as kubectl would and answers the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  stderr.write(kubectlErrorText(err));
  return err instanceof UsageError ? err.code : 1;
}
