// The part of Kubernetes' JSONPath that CRD printer columns use in practice, parsed once per CRD
// generation: `.a.b`, `.a[0].b` (negative indexes count from the end), `.a[*].b` and `.a.*`,
// quoted keys `['x.y']`, and filters `[?(@.type=="Ready")]` comparing a relative path with a
// string, number or boolean (==, !=, <, <=, >, >=) or testing that it exists (`[?(@.ready)]`).
// Recursive descent (`..`), slices, unions and functions are not supported: such a path is
// refused when the CRD is written, not misread when a table is printed.

export type Literal = string | number | boolean;

export type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'filter'; readonly filter: Filter };

export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Filter {
  /** Relative to each candidate element (`@`). */
  readonly path: readonly Step[];
  /** Absent: the filter keeps elements where `path` exists. */
  readonly compare?: { readonly op: Operator; readonly value: Literal };
}

export class JsonPathError extends Error {}

const operators: readonly Operator[] = ['==', '!=', '<=', '>=', '<', '>'];

/** Characters that end a bare field name. */
const nameEnd = new Set([
  '.',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  ' ',
  '\t',
  '=',
  '!',
  '<',
  '>',
  "'",
  '"',
  ',',
]);

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parsePath(): Step[] {
    if (!this.text.startsWith('.')) throw this.error('a path starts with "."');
    const steps = this.steps(false);
    if (this.pos < this.text.length) throw this.error(`unexpected ${this.describeHere()}`);
    return steps;
  }

  /** Steps until the end of the text, or (inside a filter) until something that ends them. */
  private steps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '.') {
        this.pos++;
        if (this.text[this.pos] === '.')
          throw this.error('recursive descent ("..") is not supported');
        // A lone trailing "." is the whole object, as in `.`.
        if (this.pos >= this.text.length) break;
        if (this.text[this.pos] === '*') {
          this.pos++;
          steps.push({ kind: 'wildcard' });
        } else {
          steps.push({ kind: 'field', name: this.name() });
        }
      } else if (c === '[') {
        steps.push(this.bracket());
      } else if (inFilter) {
        break;
      } else {
        throw this.error(`unexpected ${this.describeHere()}`);
      }
    }
    return steps;
  }

  private name(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !nameEnd.has(this.text[this.pos] ?? '')) this.pos++;
    if (this.pos === start) throw this.error(`expected a field name, found ${this.describeHere()}`);
    return this.text.slice(start, this.pos);
  }

  private bracket(): Step {
    this.expect('[');
    let step: Step;
    const c = this.text[this.pos];
    if (c === '*') {
      this.pos++;
      step = { kind: 'wildcard' };
    } else if (c === "'" || c === '"') {
      step = { kind: 'field', name: this.quoted() };
    } else if (c === '?') {
      this.pos++;
      step = { kind: 'filter', filter: this.filter() };
    } else {
      const match = /^-?\d+/.exec(this.text.slice(this.pos));
      if (!match) throw this.error(`expected an index, "*", a quoted key or a filter in [...]`);
      this.pos += match[0].length;
      if (this.text[this.pos] === ':' || this.text[this.pos] === ',') {
        throw this.error('slices and unions are not supported');
      }
      step = { kind: 'index', index: Number(match[0]) };
    }
    this.expect(']');
    return step;
  }

  private filter(): Filter {
    this.expect('(');
    this.skipSpaces();
    this.expect('@');
    const path = this.steps(true);
    if (path.length === 0) throw this.error('a filter tests a path below "@", as in @.type');
    this.skipSpaces();
    let compare: Filter['compare'];
    const op = operators.find((o) => this.text.startsWith(o, this.pos));
    if (op) {
      this.pos += op.length;
      this.skipSpaces();
      compare = { op, value: this.literal() };
      this.skipSpaces();
    }
    this.expect(')');
    return compare ? { path, compare } : { path };
  }

  private literal(): Literal {
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return this.quoted();
    const rest = this.text.slice(this.pos);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    for (const word of ['true', 'false'] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return word === 'true';
      }
    }
    throw this.error(
      `expected a quoted string, a number or a boolean, found ${this.describeHere()}`,
    );
  }

  private quoted(): string {
    const quote = this.text[this.pos];
    this.pos++;
    let value = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
      value += this.text[this.pos];
      this.pos++;
    }
    if (this.pos >= this.text.length) throw this.error('unterminated quoted string');
    this.pos++;
    return value;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c)
      throw this.error(`expected "${c}", found ${this.describeHere()}`);
    this.pos++;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  private describeHere(): string {
    const c = this.text[this.pos];
    return c === undefined ? 'the end' : `"${c}"`;
  }

  private error(message: string): JsonPathError {
    return new JsonPathError(`${message} at offset ${this.pos}`);
  }
}

/** Parses a printer column's jsonPath; throws JsonPathError saying what is wrong and where. */
export function parseJsonPath(text: string): Step[] {
  return new Parser(text).parsePath();
}
