// JSON Pointer (RFC 6901), the path syntax of JSON Patch: "/spec/containers/0/image".

/** Splits a pointer into unescaped reference tokens; `undefined` when the syntax is wrong. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    // `~` may only start the escapes ~0 and ~1.
    if (/~[^01]|~$/.test(raw)) return undefined;
    // ~1 is decoded before ~0 so that "~01" means the literal "~1", as RFC 6901 requires.
    tokens.push(raw.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  return tokens;
}

/**
 * An array index token: decimal digits without leading zeros. `-` (one past the end) is
 * handled by the callers that allow it.
 */
export function parseArrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
