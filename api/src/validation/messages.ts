// The sentence fragments Kubernetes' validators build their messages from. Clients (and people)
// match on these words, so they are reproduced exactly, down to the double space that
// RegexError leaves between examples.

export function emptyError(): string {
  return 'must be non-empty';
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** `msg (e.g. 'a',  or 'b', regex used for validation is 're')`. */
export function regexError(msg: string, regex: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${regex}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${regex}')`;
}

export const isNegativeErrorMsg = 'must be greater than or equal to 0';
export const fieldImmutableErrorMsg = 'field is immutable';
