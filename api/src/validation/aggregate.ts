// How Kubernetes joins several field errors into one sentence (utilerrors.Aggregate): one error
// is printed alone, several as `[a, b]`, and repeated messages only once.
import { type FieldError, formatFieldError } from './field-error.js';

export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  for (const e of errors) seen.add(formatFieldError(e));
  const messages = [...seen];
  if (messages.length === 1) return messages[0] ?? '';
  return `[${messages.join(', ')}]`;
}
