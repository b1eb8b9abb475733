// Where a JSON text stops being JSON. V8's JSON.parse often says only "Unexpected token" with no
// position, and a user with a 200-line manifest needs the line and column, so this small
// recursive-descent scanner finds the offset of the first syntax error.

const whitespace = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  /** Offset of the first error, or undefined when the text is valid JSON. */
  firstError(): number | undefined {
    try {
      this.value();
      this.skip();
      return this.pos < this.text.length ? this.pos : undefined;
    } catch (err) {
      if (err instanceof ScanError) return err.offset;
      throw err;
    }
  }

  private skip(): void {
    while (whitespace.has(this.text.charAt(this.pos))) this.pos++;
  }

  private fail(): never {
    throw new ScanError(this.pos);
  }

  private value(): void {
    this.skip();
    const c = this.text.charAt(this.pos);
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) this.fail();
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  private object(): void {
    this.pos++;
    this.skip();
    if (this.text.charAt(this.pos) === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skip();
      if (this.text.charAt(this.pos) !== '"') this.fail();
      this.string();
      this.skip();
      if (this.text.charAt(this.pos) !== ':') this.fail();
      this.pos++;
      this.value();
      this.skip();
      const c = this.text.charAt(this.pos);
      this.pos++;
      if (c === '}') return;
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }

  private array(): void {
    this.pos++;
    this.skip();
    if (this.text.charAt(this.pos) === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value();
      this.skip();
      const c = this.text.charAt(this.pos);
      this.pos++;
      if (c === ']') return;
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }

  private string(): void {
    this.pos++;
    for (;;) {
      const c = this.text.charAt(this.pos);
      if (c === '' || c < ' ') this.fail();
      this.pos++;
      if (c === '"') return;
      if (c === '\\') this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail();
    this.pos += match[0].length;
  }
}

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

export function jsonErrorOffset(text: string): number | undefined {
  return new Scanner(text).firstError();
}
