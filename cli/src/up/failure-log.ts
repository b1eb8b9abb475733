// When `skiff up` fails to start, the terminal gets one line (the step and the error's message);
// the stack goes to <state>/logs/up.log, so a failure that cannot be reproduced at will can still
// be traced to the line that threw. A step's error wraps the component's own as its `cause`, so
// the whole chain is written, outermost first.
import { errorMessage } from '@skiff/api';
import { appendFile } from 'node:fs/promises';
import { inspect } from 'node:util';

/** Every error in `err`'s cause chain, as its stack (or its text when it is not an Error). */
export function describeFailure(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Error) {
      parts.push(current.stack ?? `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : inspect(current));
      current = undefined;
    }
  }
  return parts.join('\ncaused by: ');
}

/** Appends the failure, with the time, to `file`; a log that cannot be written is reported, not thrown. */
export async function recordFailure(file: string, err: unknown, at: Date): Promise<boolean> {
  try {
    await appendFile(
      file,
      `--- ${at.toISOString()} skiff up failed to start\n${describeFailure(err)}\n`,
    );
    return true;
  } catch (writeErr) {
    process.stderr.write(`skiff up: could not write ${file}: ${errorMessage(writeErr)}\n`);
    return false;
  }
}
