// Field selectors (`metadata.name=x,spec.nodeName!=,status.phase==Running`): exact matches on a
// few per-kind fields. Unlike label selectors there are only =, == and !=, and values may contain
// `,` `=` and `\` only when escaped with a backslash.

/** A field selector string that does not parse (Kubernetes' wording). */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** The field values of one object, as its kind's field-label table extracts them. */
export type Fields = Readonly<Record<string, string>>;

export class FieldSelector {
  private constructor(private readonly reqs: readonly FieldRequirement[]) {}

  static of(reqs: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector(reqs);
  }

  static readonly everything = new FieldSelector([]);

  requirements(): readonly FieldRequirement[] {
    return this.reqs;
  }

  isEverything(): boolean {
    return this.reqs.length === 0;
  }

  /** A field the object does not have reads as the empty string, as in Kubernetes. */
  matchesFields(fields: Fields): boolean {
    return this.reqs.every((r) => {
      const actual = Object.hasOwn(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.operator === '=' ? actual === r.value : actual !== r.value;
    });
  }

  /** The value a selector pins `field` to with `=`/`==`, e.g. `spec.nodeName` for a kubelet. */
  requiresExactMatch(field: string): string | undefined {
    return this.reqs.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.reqs.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Backslash-escapes `\`, `,` and `=` so a value survives a round trip through the string form. */
export function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeValue(value: string): string {
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charAt(i);
    if (c === '\\') i++;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** Splits `lhs<op>rhs` at the first unescaped operator. */
function splitTerm(
  term: string,
): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term.charAt(i) === '\\') {
      i++;
      continue;
    }
    for (const op of termOperators) {
      if (term.startsWith(op, i)) {
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
      }
    }
  }
  return undefined;
}

/**
 * Parses a field selector. Terms are sorted as Kubernetes sorts them, so the string form is
 * canonical. The empty string selects everything. Field names are not checked here; resolve the
 * selector against a kind with `fieldSelectorForKind` to reject unsupported ones.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) {
      throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    }
    reqs.push({
      field: term.lhs,
      operator: term.op === '!=' ? '!=' : '=',
      value: unescapeValue(term.rhs),
    });
  }
  return reqs.length === 0 ? FieldSelector.everything : FieldSelector.of(reqs);
}
