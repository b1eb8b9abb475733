// The string form of a label selector (`app=web,tier!=db,env in (a,b),!legacy`), parsed the way
// Kubernetes' labels.Parse does: same grammar, same tokens, same error wording. Errors add the
// offset of the offending token so a long `-l` argument is easy to fix.
import { isQualifiedName } from './label-validation.js';
import { type Operator, type Requirement, validateRequirement } from './requirement.js';
import { Selector } from './selector.js';
import { aggregateMessage } from '../validation/aggregate.js';

type TokenKind =
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
  /** Offset of the token's first character in the input. */
  readonly pos: number;
}

const literalTokens: ReadonlyMap<string, TokenKind> = new Map([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const binaryOperators = 'in, notin, =, ==, !=, gt, lt';

/** A label selector string that does not parse; `position` is where the problem starts. */
export class SelectorParseError extends Error {
  constructor(
    readonly detail: string,
    readonly position: number,
  ) {
    super(`${detail} (at position ${position})`);
    this.name = 'SelectorParseError';
  }
}

const isWhitespace = (ch: string): boolean =>
  ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && isWhitespace(input.charAt(i))) i++;
    if (i >= input.length) {
      tokens.push({ kind: 'end', literal: '', pos: i });
      return tokens;
    }
    const start = i;
    if (isSpecialSymbol(input.charAt(i))) {
      // Longest run of symbols that is still a token: `!=` rather than `!` then `=`.
      let best: { kind: TokenKind; end: number } | undefined;
      let j = i;
      while (j < input.length && isSpecialSymbol(input.charAt(j))) {
        const kind = literalTokens.get(input.slice(i, j + 1));
        if (kind) best = { kind, end: j + 1 };
        else if (best) break;
        j++;
      }
      // Every single symbol is a token, so `best` is always set here.
      const end = best?.end ?? i + 1;
      tokens.push({ kind: best?.kind ?? 'identifier', literal: input.slice(i, end), pos: start });
      i = end;
      continue;
    }
    while (
      i < input.length &&
      !isSpecialSymbol(input.charAt(i)) &&
      !isWhitespace(input.charAt(i))
    ) {
      i++;
    }
    const word = input.slice(start, i);
    tokens.push({ kind: literalTokens.get(word) ?? 'identifier', literal: word, pos: start });
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private at(index: number): Token {
    // The token list always ends with an 'end' token and the parser never reads past it.
    const t = this.tokens[Math.min(index, this.tokens.length - 1)];
    if (!t) throw new Error('label selector lexer produced no tokens');
    return t;
  }

  /** In a value position the words `in` and `notin` are ordinary values. */
  private view(t: Token, context: Context): Token {
    if (context === 'values' && (t.kind === 'in' || t.kind === 'notIn')) {
      return { ...t, kind: 'identifier' };
    }
    return t;
  }

  private lookahead(context: Context): Token {
    return this.view(this.at(this.position), context);
  }

  private consume(context: Context): Token {
    const t = this.at(this.position);
    this.position++;
    return this.view(t, context);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const t = this.lookahead('values');
      if (t.kind === 'end') return requirements;
      if (t.kind !== 'identifier' && t.kind !== 'doesNotExist') {
        throw new SelectorParseError(
          `found '${t.literal}', expected: !, identifier, or 'end of string'`,
          t.pos,
        );
      }
      requirements.push(this.parseRequirement());
      const next = this.consume('values');
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'comma') {
        throw new SelectorParseError(
          `found '${next.literal}', expected: ',' or 'end of string'`,
          next.pos,
        );
      }
      const after = this.lookahead('values');
      if (after.kind !== 'identifier' && after.kind !== 'doesNotExist') {
        throw new SelectorParseError(
          `found '${after.literal}', expected: identifier after ','`,
          after.pos,
        );
      }
    }
  }

  private parseRequirement(): Requirement {
    try {
      const start = this.at(this.position).pos;
      const { key, operator: inferred } = this.parseKeyAndInferOperator();
      if (inferred) return this.build(key, inferred, [], start);
      const operator = this.parseOperator();
      const values =
        operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
      return this.build(key, operator, values, start);
    } catch (err) {
      if (err instanceof SelectorParseError) {
        throw new SelectorParseError(`unable to parse requirement: ${err.detail}`, err.position);
      }
      throw err;
    }
  }

  private build(key: string, operator: Operator, values: string[], pos: number): Requirement {
    // The parser collects values into a set, so they come out sorted and unique.
    const unique = [...new Set(values)].sort();
    const errs = validateRequirement(key, operator, unique);
    if (errs.length > 0) {
      throw new SelectorParseError(aggregateMessage(errs), pos);
    }
    return { key, operator, values: unique };
  }

  /** `key` alone means exists, `!key` does-not-exist; otherwise an operator follows. */
  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let t = this.consume('values');
    let negated = false;
    if (t.kind === 'doesNotExist') {
      negated = true;
      t = this.consume('values');
    }
    if (t.kind !== 'identifier') {
      throw new SelectorParseError(`found '${t.literal}', expected: identifier`, t.pos);
    }
    const keyErrors = isQualifiedName(t.literal);
    if (keyErrors.length > 0) {
      throw new SelectorParseError(
        `key: Invalid value: ${JSON.stringify(t.literal)}: ${keyErrors.join('; ')}`,
        t.pos,
      );
    }
    const next = this.lookahead('values');
    if (next.kind === 'end' || next.kind === 'comma') {
      return { key: t.literal, operator: negated ? '!' : 'exists' };
    }
    // `!key=v` is not an operator form: the requirement ends at `key` and the parser then
    // reports the unexpected `=`, as Kubernetes does.
    return { key: t.literal, operator: negated ? '!' : undefined };
  }

  private parseOperator(): Operator {
    const t = this.consume('keyAndOperator');
    const operators: Partial<Record<TokenKind, Operator>> = {
      in: 'in',
      equals: '=',
      doubleEquals: '==',
      greaterThan: 'gt',
      lessThan: 'lt',
      notIn: 'notin',
      notEquals: '!=',
    };
    const op = operators[t.kind];
    if (!op)
      throw new SelectorParseError(`found '${t.literal}', expected: ${binaryOperators}`, t.pos);
    return op;
  }

  /** `(a,b)`; empty entries (`(a,,b)`, `()`) stand for the empty value. */
  private parseValues(): string[] {
    const open = this.consume('values');
    if (open.kind !== 'openPar') {
      throw new SelectorParseError(`found '${open.literal}' expected: '('`, open.pos);
    }
    const t = this.lookahead('values');
    if (t.kind === 'closePar') {
      this.consume('values');
      return [''];
    }
    if (t.kind !== 'identifier' && t.kind !== 'comma') {
      throw new SelectorParseError(`found '${t.literal}', expected: ',', ')' or identifier`, t.pos);
    }
    const values = this.parseIdentifiersList();
    const close = this.consume('values');
    if (close.kind !== 'closePar') {
      throw new SelectorParseError(`found '${t.literal}', expected: ')'`, close.pos);
    }
    return values;
  }

  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.consume('values');
      if (t.kind === 'identifier') {
        values.push(t.literal);
        const next = this.lookahead('values');
        if (next.kind === 'comma') continue;
        if (next.kind === 'closePar') return values;
        throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`, next.pos);
      }
      if (t.kind === 'comma') {
        if (values.length === 0) values.push('');
        const next = this.lookahead('values');
        if (next.kind === 'closePar') {
          values.push('');
          return values;
        }
        if (next.kind === 'comma') values.push('');
        continue;
      }
      throw new SelectorParseError(`found '${t.literal}', expected: ',', or identifier`, t.pos);
    }
  }

  private parseExactValue(): string[] {
    const t = this.lookahead('values');
    if (t.kind === 'end' || t.kind === 'comma') return [''];
    const v = this.consume('values');
    if (v.kind === 'identifier') return [v.literal];
    throw new SelectorParseError(`found '${v.literal}', expected: identifier`, v.pos);
  }
}

/**
 * Parses Kubernetes' selector syntax:
 *   `key`, `!key`, `key=v`, `key==v`, `key!=v`, `key in (a,b)`, `key notin (a,b)`, `key>1`,
 *   `key<1`, joined by commas. The empty string selects everything.
 */
export function parseSelector(input: string): Selector {
  const requirements = new Parser(lex(input)).parse();
  return requirements.length === 0 ? Selector.everything : Selector.of(requirements);
}
